// What a watched node or pod says about a trial's phases. Pure: objects in, verdicts out. Objects from a
// watch are plain JSON (times as strings), objects from a typed call carry Dates: both are accepted.
import type { V1Node, V1Pod } from '@kubernetes/client-node';

/** A time field as ISO text, whichever form it arrived in. */
export function isoOf(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(Date.parse(value)).toISOString();
  return undefined;
}

/** Start of the second holding `ms` (API times are whole seconds). */
export function secondOf(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** The node's Ready condition. */
export interface ReadyState {
  /** `True`, `False` or `Unknown` (`Unknown` also when the condition is missing). */
  status: string;
  /** When it last changed (ISO), as the API recorded it. */
  transition?: string;
  /** When the kubelet last posted it (ISO). */
  heartbeat?: string;
}

/** The Ready condition of a node. */
export function readyState(node: V1Node): ReadyState {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return { status: ready?.status ?? 'Unknown', transition: isoOf(ready?.lastTransitionTime), heartbeat: isoOf(ready?.lastHeartbeatTime) };
}

/** The node is not Ready: returns the API's time of that change, or undefined when it is Ready. */
export function notReadySince(node: V1Node): { apiAt?: string } | undefined {
  const state = readyState(node);
  return state.status === 'True' ? undefined : { apiAt: state.transition };
}

/**
 * The node is Ready again after the fault: its Ready condition turned True after the fault began (the API
 * time is the transition), or, for a node back before anyone marked it NotReady, its kubelet posted Ready
 * after the node was brought back (`upMs`, epoch ms; the API time is that post's heartbeat).
 */
export function readyAgain(node: V1Node, since: { faultMs: number; upMs?: number }): { apiAt?: string } | undefined {
  const state = readyState(node);
  if (state.status !== 'True') return undefined;
  const transition = state.transition ? Date.parse(state.transition) : NaN;
  if (transition >= secondOf(since.faultMs)) return { apiAt: state.transition };
  const heartbeat = state.heartbeat ? Date.parse(state.heartbeat) : NaN;
  if (since.upMs !== undefined && heartbeat >= secondOf(since.upMs)) return { apiAt: state.heartbeat };
  return undefined;
}

/** Owner (`ReplicaSet/web-abc`) of a pod of a replicated workload; undefined for Job pods and bare pods. */
export function ownerOf(pod: V1Pod): string | undefined {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller === true) ?? pod.metadata?.ownerReferences?.[0];
  if (!owner || !['ReplicaSet', 'StatefulSet'].includes(owner.kind)) return undefined;
  return `${owner.kind}/${owner.name}`;
}

/** Pods of each replicated workload at the fault (owner → count of live pods). */
export function baselineOf(pods: readonly V1Pod[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const pod of pods) {
    const owner = ownerOf(pod);
    if (owner && !pod.metadata?.deletionTimestamp) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  return counts;
}

/** The pod was marked for deletion on the target node: returns the API's time of the eviction when it says. */
export function evictedFrom(pod: V1Pod, target: string): { apiAt?: string } | undefined {
  if (pod.spec?.nodeName !== target || !pod.metadata?.deletionTimestamp) return undefined;
  const disruption = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget' && c.status === 'True');
  return { apiAt: isoOf(disruption?.lastTransitionTime) };
}

function readySince(pod: V1Pod): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const at = isoOf(ready?.lastTransitionTime);
  return ready?.status === 'True' && at ? Date.parse(at) : undefined;
}

/**
 * Every workload has as many Ready pods as at the fault, counting a pod on the target node only if it
 * became Ready after the fault (a pod the API still shows Ready from before is not serving). Returns the
 * API time of the last pod to become Ready after the fault, or undefined while not recovered.
 */
export function podsRecovered(
  pods: readonly V1Pod[],
  baseline: ReadonlyMap<string, number>,
  target: string,
  faultMs: number,
): { apiAt?: string } | undefined {
  let latest = 0;
  for (const [owner, wanted] of baseline) {
    const serving = pods.filter((pod) => {
      if (ownerOf(pod) !== owner || pod.metadata?.deletionTimestamp) return false;
      const since = readySince(pod);
      if (since === undefined) return false;
      if (since >= secondOf(faultMs)) latest = Math.max(latest, since);
      return pod.spec?.nodeName !== target || since >= secondOf(faultMs);
    });
    if (serving.length < wanted) return undefined;
  }
  return latest > 0 ? { apiAt: new Date(latest).toISOString() } : {};
}
