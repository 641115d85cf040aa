// How far a Deployment or StatefulSet is from ready: the replica counts of its status, and the
// observation its condition reports (`2/3 ready (1/3 updated)`).
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import type { Observation } from '../wait.ts';

/** The kinds whose readiness is counted in replicas. */
export type Replicated = V1Deployment | V1StatefulSet;

interface ReplicaCounts {
  spec: number;
  want: number;
  ready: number;
  updated: number;
  total: number;
  seen: boolean;
}

function replicaCounts(object: Replicated, wanted: number | undefined): ReplicaCounts {
  const { readyReplicas: ready = 0, updatedReplicas: updated = 0, replicas: total = 0, observedGeneration = 0 } = object.status ?? {};
  const spec = object.spec?.replicas ?? 1;
  return { spec, want: wanted ?? spec, ready, updated, total, seen: observedGeneration >= (object.metadata?.generation ?? 0) };
}

function replicaNotes(c: ReplicaCounts): string {
  const notes = [
    c.spec !== c.want ? `spec asks for ${c.spec}` : '',
    c.seen ? '' : 'new spec not yet observed',
    c.total > c.want ? `${c.total} pods` : '',
    c.updated < c.want ? `${c.updated}/${c.want} updated` : '',
  ].filter(Boolean);
  return notes.length ? ` (${notes.join(', ')})` : '';
}

/** Ready when the spec asks for `wanted` (default: its own count), the controller saw it, and exactly that many pods are ready and updated. */
export function replicaObservation<T extends Replicated>(object: T, wanted: number | undefined): Observation<T> {
  const c = replicaCounts(object, wanted);
  const ok = c.spec === c.want && c.seen && c.ready >= c.want && c.updated >= c.want && c.total === c.want;
  return { ok, observed: `${c.ready}/${c.want} ready${replicaNotes(c)}`, value: object };
}
