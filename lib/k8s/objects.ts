// Small object operations the harness and the chaos suites share (scale, delete a pod, list pods, apply,
// ensure a namespace), and how to read a pod's readiness in one word.
import {
  KubernetesObjectApi,
  PatchStrategy,
  type AppsV1Api,
  type CoreV1Api,
  type KubeConfig,
  type KubernetesObject,
  type V1ContainerState,
  type V1Pod,
} from '@kubernetes/client-node';
import { deleteUnlessGone, isConflict, isNotFound, requestOptions } from './client.ts';

/** Options every call takes. */
export interface CallOptions {
  /** Aborts the HTTP request. */
  signal?: AbortSignal;
}

/** Field manager recorded on everything the harness applies. */
export const FIELD_MANAGER = 'mip-verify';

/** Sets the replica count of a Deployment through its scale subresource. */
export async function scaleDeployment(
  kube: { apps: Pick<AppsV1Api, 'replaceNamespacedDeploymentScale'> },
  namespace: string,
  name: string,
  options: CallOptions & { replicas: number },
): Promise<void> {
  const body = { metadata: { name, namespace }, spec: { replicas: options.replicas } };
  await kube.apps.replaceNamespacedDeploymentScale({ name, namespace, body }, requestOptions(options.signal));
}

/** The first Deployment of a namespace matching a label selector, with its replica count; fails naming the selector if none. */
export async function deploymentBySelector(
  kube: { apps: Pick<AppsV1Api, 'listNamespacedDeployment'> },
  namespace: string,
  labelSelector: string,
  options: CallOptions = {},
): Promise<{ name: string; replicas: number }> {
  const list = await kube.apps.listNamespacedDeployment({ namespace, labelSelector }, requestOptions(options.signal));
  const found = list.items[0];
  if (!found?.metadata?.name) throw new Error(`no Deployment labelled ${labelSelector} in namespace ${namespace}`);
  return { name: found.metadata.name, replicas: found.spec?.replicas ?? 1 };
}

/** Deletes a pod; resolves `false` when it was already gone. */
export async function deletePod(
  kube: { core: Pick<CoreV1Api, 'deleteNamespacedPod'> },
  namespace: string,
  name: string,
  options: CallOptions & { gracePeriodSeconds?: number } = {},
): Promise<boolean> {
  return deleteUnlessGone(() =>
    kube.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: options.gracePeriodSeconds }, requestOptions(options.signal)),
  );
}

/** Pods of a namespace, optionally narrowed by a label selector (`app=web`), sorted by name. */
export async function listPods(
  kube: { core: Pick<CoreV1Api, 'listNamespacedPod'> },
  namespace: string,
  labelSelector?: string,
  options: CallOptions = {},
): Promise<V1Pod[]> {
  const list = await kube.core.listNamespacedPod({ namespace, labelSelector }, requestOptions(options.signal));
  return [...list.items].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** Server-side applies each document in order (forcing ownership of conflicting fields); returns what the API stored. */
export async function applyManifests(
  kube: { config: KubeConfig },
  docs: readonly KubernetesObject[],
  options: CallOptions & { client?: Pick<KubernetesObjectApi, 'patch'> } = {},
): Promise<KubernetesObject[]> {
  const client = options.client ?? KubernetesObjectApi.makeApiClient(kube.config);
  const applied: KubernetesObject[] = [];
  // KubernetesObjectApi ignores per-call middleware, so the signal is honoured between documents only.
  for (const doc of docs) {
    options.signal?.throwIfAborted();
    applied.push(await client.patch(doc, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply));
  }
  return applied;
}

/** Creates a namespace unless it exists; resolves `true` when this call created it. */
export async function ensureNamespace(
  kube: { core: Pick<CoreV1Api, 'readNamespace' | 'createNamespace'> },
  name: string,
  options: CallOptions & { labels?: Record<string, string> } = {},
): Promise<boolean> {
  try {
    await kube.core.readNamespace({ name }, requestOptions(options.signal));
    return false;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await kube.core.createNamespace({ body: { metadata: { name, labels: options.labels } } }, requestOptions(options.signal));
    return true;
  } catch (error) {
    // Someone else created it between the read and the create: it exists, which is all we asked for.
    if (isConflict(error)) return false;
    throw error;
  }
}

/** Whether a pod is Running, Ready and not being deleted. */
export function isPodReady(pod: V1Pod): boolean {
  if (pod.metadata?.deletionTimestamp || pod.status?.phase !== 'Running') return false;
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function stateProblem(state: V1ContainerState | undefined): string | undefined {
  if (state?.waiting?.reason) return state.waiting.reason;
  const ended = state?.terminated;
  return ended && ended.exitCode !== 0 ? (ended.reason ?? `exited ${ended.exitCode}`) : undefined;
}

function containerProblem(pod: V1Pod): string | undefined {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses.map((s) => stateProblem(s.state)).find((problem) => problem !== undefined);
}

/** Why a pod is not ready, in a word or two: `CrashLoopBackOff`, `Pending`, `Terminating`, `not ready`. */
export function podProblem(pod: V1Pod): string {
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  const problem = containerProblem(pod);
  if (problem) return problem;
  const phase = pod.status?.phase ?? 'Unknown';
  return phase === 'Running' ? 'not ready' : (pod.status?.reason ?? phase);
}
