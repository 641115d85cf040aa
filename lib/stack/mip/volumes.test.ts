import { expect } from 'chai';
import type { NodeFact } from '../cluster-fit.ts';
import type { Manifest } from '../manifest-fields.ts';
import { hostVolumes } from './volumes.ts';

const nodes: NodeFact[] = [
  { name: 'cp', labels: { master: 'true', 'kubernetes.io/hostname': 'cp' } },
  { name: 'w1', labels: { worker: 'true', 'kubernetes.io/hostname': 'w1' } },
  { name: 'w2', labels: { worker: 'true', 'kubernetes.io/hostname': 'w2' } },
];

/** A PersistentVolume as the web chart renders one, pinned by `expressions` when given. */
function volume(name: string, spec: Manifest, expressions?: Manifest[]): Manifest {
  const nodeAffinity = expressions ? { required: { nodeSelectorTerms: [{ matchExpressions: expressions }] } } : undefined;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, labels: { storage: `${name}-storage` } },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], ...spec, ...(nodeAffinity ? { nodeAffinity } : {}) },
  };
}

describe('stack/mip/volumes', () => {
  it('lists the host-path PersistentVolumes with the nodes their nodeAffinity In expressions allow', () => {
    const docs = [
      volume('platform-backend-db-vol0', { hostPath: { path: '/opt/mip-deployment/db' } }, [
        { key: 'master', operator: 'In', values: ['true'] },
      ]),
      volume('platform-backend-logs-vol0', { hostPath: { path: '/opt/mip-deployment/logs' } }, [
        { key: 'worker', operator: 'In', values: ['true'] },
        { key: 'kubernetes.io/hostname', operator: 'In', values: ['w2'] },
      ]),
    ];
    expect(hostVolumes(docs, nodes)).to.deep.equal([
      { name: 'platform-backend-db-vol0', path: '/opt/mip-deployment/db', nodes: ['cp'] },
      { name: 'platform-backend-logs-vol0', path: '/opt/mip-deployment/logs', nodes: ['w2'] },
    ]);
  });

  it('allows every node to a volume without nodeAffinity or with only expressions other than In', () => {
    const docs = [
      volume('free', { hostPath: { path: '/srv/free' } }),
      volume('either', { hostPath: { path: '/srv/either' } }, [{ key: 'gpu', operator: 'DoesNotExist' }]),
    ];
    expect(hostVolumes(docs, nodes).map((v) => [v.name, v.nodes])).to.deep.equal([
      ['free', ['cp', 'w1', 'w2']],
      ['either', ['cp', 'w1', 'w2']],
    ]);
  });

  it('ignores volumes of other kinds, claims and other objects', () => {
    const docs: Manifest[] = [
      volume('ceph', { csi: { driver: 'cephfs.csi.ceph.com', volumeHandle: 'x' } }),
      { kind: 'PersistentVolumeClaim', metadata: { name: 'claim' }, spec: { hostPath: { path: '/not/a/volume' } } },
      { kind: 'Deployment', metadata: { name: 'platform-backend' }, spec: {} },
    ];
    expect(hostVolumes(docs, nodes)).to.deep.equal([]);
  });
});
