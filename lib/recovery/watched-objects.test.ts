import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { expect } from 'chai';
import { baselineOf, evictedFrom, isoOf, notReadySince, ownerOf, podsRecovered, readyAgain, readyState } from './watched-objects.ts';

const FAULT = Date.parse('2026-01-01T10:00:00.600Z');

function node(status: string, transition: string, heartbeat = transition): V1Node {
  // As a watch delivers it: times are strings.
  const ready = { type: 'Ready', status, lastTransitionTime: transition, lastHeartbeatTime: heartbeat };
  return { metadata: { name: 'w1' }, status: { conditions: [ready] } } as unknown as V1Node;
}

function pod(name: string, fields: { node: string; owner?: string; ready?: string; deleting?: boolean; disruption?: string }): V1Pod {
  const conditions = [
    ...(fields.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: fields.ready }] : [{ type: 'Ready', status: 'False' }]),
    ...(fields.disruption ? [{ type: 'DisruptionTarget', status: 'True', lastTransitionTime: fields.disruption }] : []),
  ];
  const owners = fields.owner
    ? [{ kind: 'ReplicaSet', name: fields.owner, controller: true }]
    : [{ kind: 'Job', name: 'cleanup-1', controller: true }];
  return {
    metadata: { name, uid: name, ownerReferences: owners, ...(fields.deleting ? { deletionTimestamp: '2026-01-01T10:06:00Z' } : {}) },
    spec: { nodeName: fields.node },
    status: { conditions },
  } as unknown as V1Pod;
}

describe('recovery/signals', () => {
  it('reads times given as strings or Dates', () => {
    expect(isoOf('2026-01-01T10:00:00Z')).to.equal('2026-01-01T10:00:00.000Z');
    expect(isoOf(new Date(0))).to.equal('1970-01-01T00:00:00.000Z');
    expect(isoOf('later')).to.equal(undefined);
    expect(readyState({})).to.deep.equal({ status: 'Unknown', transition: undefined, heartbeat: undefined });
  });

  it('sees a node NotReady with the API time of the change', () => {
    expect(notReadySince(node('Unknown', '2026-01-01T10:00:46Z'))).to.deep.equal({ apiAt: '2026-01-01T10:00:46.000Z' });
    expect(notReadySince(node('True', '2026-01-01T09:00:00Z'))).to.equal(undefined);
  });

  it("sees a node Ready again after a transition in or after the fault's second", () => {
    expect(readyAgain(node('True', '2026-01-01T10:00:00Z'), { faultMs: FAULT })).to.deep.equal({ apiAt: '2026-01-01T10:00:00.000Z' });
    expect(readyAgain(node('True', '2026-01-01T09:59:59Z'), { faultMs: FAULT })).to.equal(undefined);
    expect(readyAgain(node('False', '2026-01-01T10:01:00Z'), { faultMs: FAULT })).to.equal(undefined);
  });

  it('sees a node that never left Ready as back once its kubelet posts after the restart, timed by that heartbeat', () => {
    const before = node('True', '2026-01-01T09:00:00Z', '2026-01-01T10:00:05Z');
    expect(readyAgain(before, { faultMs: FAULT, upMs: Date.parse('2026-01-01T10:00:12Z') })).to.equal(undefined);
    const after = node('True', '2026-01-01T09:00:00Z', '2026-01-01T10:00:14Z');
    expect(readyAgain(after, { faultMs: FAULT, upMs: Date.parse('2026-01-01T10:00:12Z') })).to.deep.equal({
      apiAt: '2026-01-01T10:00:14.000Z',
    });
  });

  it('counts the live pods of replicated workloads only', () => {
    const pods = [
      pod('a', { node: 'w1', owner: 'web-1' }),
      pod('b', { node: 'w2', owner: 'web-1' }),
      pod('j', { node: 'w1' }),
      pod('c', { node: 'w1', owner: 'redis-1', deleting: true }),
    ];
    expect(ownerOf(pods[2] as V1Pod)).to.equal(undefined);
    expect([...baselineOf(pods)]).to.deep.equal([['ReplicaSet/web-1', 2]]);
  });

  it("sees an eviction from the target, with the taint manager's time when the pod has it", () => {
    expect(evictedFrom(pod('a', { node: 'w1', owner: 'x', deleting: true, disruption: '2026-01-01T10:05:50Z' }), 'w1')).to.deep.equal({
      apiAt: '2026-01-01T10:05:50.000Z',
    });
    expect(evictedFrom(pod('a', { node: 'w1', owner: 'x', deleting: true }), 'w1')).to.deep.equal({ apiAt: undefined });
    expect(evictedFrom(pod('a', { node: 'w2', owner: 'x', deleting: true }), 'w1')).to.equal(undefined);
    expect(evictedFrom(pod('a', { node: 'w1', owner: 'x' }), 'w1')).to.equal(undefined);
  });

  it("holds pods recovered only when the target's pods are replaced or Ready again after the fault", () => {
    const baseline = new Map([
      ['ReplicaSet/worker-1', 1],
      ['ReplicaSet/web-1', 1],
    ]);
    const web = pod('web', { node: 'w2', owner: 'web-1', ready: '2026-01-01T09:00:00Z' });
    const stale = pod('old', { node: 'w1', owner: 'worker-1', ready: '2026-01-01T09:00:00Z' });
    expect(podsRecovered([web, stale], baseline, 'w1', FAULT)).to.equal(undefined);
    const evicted = pod('old', { node: 'w1', owner: 'worker-1', ready: '2026-01-01T09:00:00Z', deleting: true });
    const fresh = pod('new', { node: 'w2', owner: 'worker-1', ready: '2026-01-01T10:06:10Z' });
    expect(podsRecovered([web, evicted, fresh], baseline, 'w1', FAULT)).to.deep.equal({ apiAt: '2026-01-01T10:06:10.000Z' });
    const restarted = pod('old', { node: 'w1', owner: 'worker-1', ready: '2026-01-01T10:00:30Z' });
    expect(podsRecovered([web, restarted], baseline, 'w1', FAULT)).to.deep.equal({ apiAt: '2026-01-01T10:00:30.000Z' });
  });
});
