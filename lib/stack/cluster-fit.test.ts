import { expect } from 'chai';
import { fitRefusal, planFit, swapStorageClasses, type ClusterFacts } from './cluster-fit.ts';

const facts: ClusterFacts = {
  storageClasses: [
    { name: 'fast', isDefault: false },
    { name: 'shared', isDefault: true },
  ],
  nodes: [
    { name: 'cp', labels: { 'node-role.kubernetes.io/control-plane': '' } },
    { name: 'w1', labels: { zone: 'a' } },
    { name: 'w2', labels: {} },
  ],
};

const claim = (name: string, storageClassName?: string, accessModes = ['ReadWriteOnce']) => ({
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes, ...(storageClassName ? { storageClassName } : {}) },
});
const deployment = (name: string, replicas: number, extra: Record<string, unknown>) => ({
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, template: { spec: { containers: [{ name, image: 'x' }], ...extra } } },
});
const mounting = (claimName: string) => ({ volumes: [{ name: 'v', persistentVolumeClaim: { claimName } }] });

describe('fitting a cluster to a stack', () => {
  it('needs nothing when the classes and labels the stack names exist', () => {
    const plan = planFit([claim('a', 'fast'), claim('b'), deployment('web', 1, { nodeSelector: { zone: 'a' } })], facts);
    expect(plan.changes).to.deep.equal([]);
    expect(fitRefusal(plan, 'prod')).to.equal(undefined);
  });

  it('gives a claim of a missing StorageClass the default one and labels the worker nodes for an unmet nodeSelector', () => {
    const docs = [claim('ws', 'cinder-csi'), claim('other', 'fast'), deployment('web', 1, { nodeSelector: { tier: 'low', zone: 'a' } })];
    const plan = planFit(docs, facts);
    expect(plan.classSwaps).to.deep.equal([{ claim: 'ws', asked: 'cinder-csi', given: 'shared' }]);
    swapStorageClasses(docs, plan.classSwaps);
    expect(docs.slice(0, 2).map((d) => (d.spec as { storageClassName?: string }).storageClassName)).to.deep.equal(['shared', 'fast']);
    expect(plan.nodeLabels).to.deep.equal([
      { node: 'w1', labels: { tier: 'low' } },
      { node: 'w2', labels: { tier: 'low' } },
    ]);
    expect(fitRefusal(plan, 'prod')).to.equal(
      'the stack needs StorageClass cinder-csi and a node labelled tier=low, which cluster prod does not have',
    );
  });

  it('leaves alone a claim of a StorageClass the stack itself creates', () => {
    const own = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'k8s-local-storage' } };
    expect(planFit([own, claim('db', 'k8s-local-storage')], facts).classSwaps).to.deep.equal([]);
  });

  it("prefers the cluster's shared class over its default one, so pods on every node see one volume", () => {
    expect(planFit([claim('ws', 'cinder-csi')], facts, 'fast').changes).to.deep.equal([
      'volume claim ws asks for StorageClass cinder-csi, which the cluster lacks: it gets fast',
    ]);
    expect(planFit([claim('ws', 'cinder-csi')], facts, 'absent').classSwaps[0]?.given).to.equal('shared');
  });

  it('notes a ReadWriteOnce claim mounted by more than one pod, and not a shared or single-user one', () => {
    const docs = [
      claim('ws', undefined),
      claim('rwx', undefined, ['ReadWriteMany']),
      claim('solo', undefined),
      deployment('web', 2, mounting('ws')),
      deployment('worker', 1, mounting('ws')),
      deployment('db', 1, mounting('solo')),
      deployment('files', 3, mounting('rwx')),
    ];
    expect(planFit(docs, facts).notes).to.deep.equal([
      'volume claim ws is ReadWriteOnce but Deployment web, Deployment worker mount it (3 pods or more): on block storage such as Cinder, pods scheduled to another node cannot attach it',
    ]);
  });
});
