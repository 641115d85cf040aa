// The Deployments and StatefulSets of a stack's namespace and one condition over all of them, so a suite's
// readiness check waits once, within one budget, and names every workload that is not Ready.
import type { AppsV1Api, CoreV1Api, CoreV1Event } from '@kubernetes/client-node';
import { requestOptions } from './k8s/client.ts';
import { deploymentReady, statefulSetReady } from './k8s/conditions.ts';
import type { WorkloadRef } from './stack/types.ts';
import type { Condition, Observation } from './wait.ts';

/** The API calls these helpers make (tests pass small fakes). */
export interface WorkloadApi {
  /** Apps group: lists and reads Deployments and StatefulSets. */
  apps: Pick<
    AppsV1Api,
    'listNamespacedDeployment' | 'listNamespacedStatefulSet' | 'readNamespacedDeployment' | 'readNamespacedStatefulSet'
  >;
}

/** The Deployments and StatefulSets of a namespace, sorted by kind and name. */
export async function stackWorkloads(kube: WorkloadApi, namespace: string, signal?: AbortSignal): Promise<WorkloadRef[]> {
  const [deployments, statefulSets] = await Promise.all([
    kube.apps.listNamespacedDeployment({ namespace }, requestOptions(signal)),
    kube.apps.listNamespacedStatefulSet({ namespace }, requestOptions(signal)),
  ]);
  const refs = (kind: WorkloadRef['kind'], items: { metadata?: { name?: string } }[]): WorkloadRef[] =>
    items.map((item) => ({ kind, namespace, name: item.metadata?.name ?? '?' })).sort((a, b) => a.name.localeCompare(b.name));
  return [...refs('Deployment', deployments.items), ...refs('StatefulSet', statefulSets.items)];
}

/** `deployment/web`, as kubectl names it. */
export function workloadName(ref: WorkloadRef): string {
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}

/** Every listed workload has all the replicas its spec asks for Ready; the observation names those that do not. */
export function workloadsReady(kube: WorkloadApi, workloads: readonly WorkloadRef[]): Condition<WorkloadRef[]> {
  const namespace = workloads[0]?.namespace ?? '?';
  return {
    what: `every workload in namespace ${namespace} to be Ready (${workloads.map(workloadName).join(', ') || 'none listed'})`,
    check: async (signal) => {
      const seen = await Promise.all(workloads.map(async (ref) => ({ ref, seen: await conditionOf(kube, ref).check(signal) })));
      const notReady = seen.filter(({ seen: s }) => !s.ok).map(({ ref, seen: s }) => `${workloadName(ref)} ${s.observed}`);
      const observation: Observation<WorkloadRef[]> = {
        ok: workloads.length > 0 && notReady.length === 0,
        observed:
          workloads.length === 0 ? 'no workloads listed' : notReady.length === 0 ? 'all Ready' : `not Ready: ${notReady.join('; ')}`,
        value: [...workloads],
      };
      return observation;
    },
  };
}

function conditionOf(kube: WorkloadApi, ref: WorkloadRef): Condition<unknown> {
  switch (ref.kind) {
    case 'Deployment':
      return deploymentReady(kube, ref.namespace, ref.name);
    case 'StatefulSet':
      return statefulSetReady(kube, ref.namespace, ref.name);
    case 'DaemonSet':
      return { what: workloadName(ref), check: () => Promise.resolve({ ok: true, observed: 'not checked (DaemonSet)' }) };
  }
}

/** The namespace's most recent Warning events, newest last, as `pod/x: Reason: message` (distinct, at most `limit`). */
export async function recentWarnings(
  kube: { core: Pick<CoreV1Api, 'listNamespacedEvent'> },
  namespace: string,
  limit = 3,
  signal?: AbortSignal,
): Promise<string[]> {
  const list = await kube.core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' }, requestOptions(signal));
  const when = (e: CoreV1Event): number => new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? 0).getTime();
  const lines = [...list.items]
    .sort((a, b) => when(a) - when(b))
    .map(
      (e) =>
        `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? '?'}: ${e.reason ?? ''}: ${(e.message ?? '').trim()}`,
    );
  return [...new Set(lines.reverse())].slice(0, limit).reverse();
}
