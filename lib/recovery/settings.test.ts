import type { V1Pod } from '@kubernetes/client-node';
import { expect } from 'chai';
import {
  defaultGraceS,
  describeSettings,
  goDurationSeconds,
  graceFromFlags,
  podSettings,
  readSettings,
  shortestToleration,
} from './settings.ts';

function pod(name: string, tolerations: { key: string; seconds?: number }[], extra: Record<string, unknown> = {}): V1Pod {
  return {
    metadata: { name, ownerReferences: [{ kind: 'ReplicaSet', name: `${name}-rs` }], ...extra },
    spec: {
      nodeName: 'w1',
      restartPolicy: 'Always',
      containers: [],
      tolerations: tolerations.map((t) => ({ key: t.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: t.seconds })),
    },
  } as unknown as V1Pod;
}

const DEFAULTS = [
  { key: 'node.kubernetes.io/not-ready', seconds: 300 },
  { key: 'node.kubernetes.io/unreachable', seconds: 300 },
];

describe('recovery/settings', () => {
  it('reads Go durations', () => {
    expect(goDurationSeconds('40s')).to.equal(40);
    expect(goDurationSeconds('1m0s')).to.equal(60);
    expect(goDurationSeconds('1m30s')).to.equal(90);
    expect(goDurationSeconds('500ms')).to.equal(0.5);
    expect(goDurationSeconds('forty')).to.equal(undefined);
    expect(goDurationSeconds('40x')).to.equal(undefined);
  });

  it('finds node-monitor-grace-period in either flag form', () => {
    expect(graceFromFlags(['kube-controller-manager', '--node-monitor-grace-period=20s'])).to.equal(20);
    expect(graceFromFlags(['--node-monitor-grace-period', '1m'])).to.equal(60);
    expect(graceFromFlags(['--node-monitor-period=5s'])).to.equal(undefined);
  });

  it('knows the default per server version: 50 s from v1.32, 40 s before', () => {
    expect(defaultGraceS('v1.33.13')).to.equal(50);
    expect(defaultGraceS('v1.32.0')).to.equal(50);
    expect(defaultGraceS('v1.31.4')).to.equal(40);
  });

  it("reads a pod's tolerations and restart policy, and the shortest toleration", () => {
    const p = podSettings(
      pod('web', [
        { key: 'node.kubernetes.io/not-ready', seconds: 30 },
        { key: 'node.kubernetes.io/unreachable', seconds: 45 },
      ]),
    );
    expect(p).to.deep.equal({ pod: 'web', node: 'w1', notReadyS: 30, unreachableS: 45, restartPolicy: 'Always' });
    expect(shortestToleration([p, podSettings(pod('x', DEFAULTS))])).to.equal(30);
    expect(shortestToleration([podSettings(pod('y', []))])).to.equal(undefined);
  });

  it('reads the flags of the controller-manager and the live replicated pods of the stack', async () => {
    const manager = {
      metadata: { name: 'kcm' },
      spec: { containers: [{ name: 'kcm', command: ['kube-controller-manager', '--node-monitor-grace-period=25s'] }] },
    };
    const stack = [
      pod('web', DEFAULTS),
      pod('gone', DEFAULTS, { deletionTimestamp: '2026-01-01T00:00:00Z' }),
      { metadata: { name: 'job-pod' }, spec: { containers: [] } },
    ];
    const core = {
      listNamespacedPod: (request: { namespace: string }) =>
        Promise.resolve({ items: request.namespace === 'kube-system' ? [manager] : stack }),
    } as never;
    const settings = await readSettings({ core }, 'openms', 'v1.33.1');
    expect(settings.graceS).to.equal(25);
    expect(settings.graceSource).to.match(/flag of kube-controller-manager/);
    expect(settings.pods.map((p) => p.pod)).to.deep.equal(['web']);
    expect(describeSettings(settings)[1]).to.equal('web on w1: not-ready 300 s, unreachable 300 s, restartPolicy Always');
  });

  it('falls back to the version default when the flag is not set', async () => {
    const core = { listNamespacedPod: () => Promise.resolve({ items: [] }) } as never;
    const settings = await readSettings({ core }, 'openms', 'v1.33.1');
    expect(settings).to.include({ graceS: 50 });
    expect(settings.graceSource).to.match(/default of Kubernetes v1\.33\.1 \(kube-controller-manager was not found/);
  });
});
