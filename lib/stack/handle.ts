// The handle suites use on a deployed stack, the same for kustomize and Helm: workloads through
// the apps API, their pods by selector, URLs through the ingress, and `kubectl exec`.
import type { V1LabelSelector, V1ObjectMeta, V1PodSpec, V1PodTemplateSpec } from '@kubernetes/client-node';
import { HarnessError, toError } from '../errors.ts';
import { ToolError } from '../exec.ts';
import { ApiUnavailableError, isTransientApiError } from '../k8s/transient.ts';
import { retry } from '../wait.ts';
import type { Kube } from '../k8s/client.ts';
import type { Tools } from '../cluster/command-runner.ts';
import type { Cluster, ConnectFn, OpOptions } from '../cluster/types.ts';
import type { Stack, StackSpec, WorkloadKind, WorkloadRef } from './types.ts';

/** What a stack handle needs. */
export interface HandleOptions {
  /** What was deployed. */
  readonly spec: StackSpec;
  /** Where it was deployed. */
  readonly cluster: Cluster;
  /** Program runner and environment for kubectl. */
  readonly tools: Tools;
  /** Opens the Kubernetes API (once, on first use). */
  readonly connect: ConnectFn;
  /** Removes the stack the way its deployer installed it. */
  readonly uninstall: (options: OpOptions) => Promise<void>;
  /** Host name the stack's route matches, when it matches one. */
  readonly host?: string;
  /** First pause before a request that did not get through to the API is tried again (default 2 s; tests shorten it). */
  readonly retryPauseMs?: number;
}

interface FoundWorkload {
  ref: WorkloadRef;
  selector?: V1LabelSelector;
  podSpec?: V1PodSpec;
}

/** `--kubeconfig` and `--context` for kubectl, so the user's default kubeconfig is never used. */
export function kubectlTarget(cluster: Cluster): string[] {
  return ['--kubeconfig', cluster.kubeconfigPath, '--context', cluster.context];
}

/** The handle of a deployed stack. */
export function createStackHandle(options: HandleOptions): Stack {
  const { spec, cluster } = options;
  let kube: Promise<Kube> | undefined;
  const api = (): Promise<Kube> => (kube ??= Promise.resolve(options.connect(cluster.kubeconfigPath, cluster.context)));
  const find = async (name: string, kind?: WorkloadKind): Promise<FoundWorkload> => {
    const all = await listWorkloads(await api(), spec.namespace);
    const found = all.find((w) => w.ref.name === name && (kind === undefined || w.ref.kind === kind));
    if (found) return found;
    const what = kind ? `${kind.toLowerCase()}/${name}` : `workload '${name}'`;
    const there = all.map((w) => `${w.ref.kind.toLowerCase()}/${w.ref.name}`).join(', ') || 'none';
    throw new HarnessError('deploy', `${what} not found in namespace ${spec.namespace} (workloads there: ${there})`);
  };
  return {
    spec,
    workload: async (name, kind) => (await find(name, kind)).ref,
    pods: async (workload) => {
      const { selector } = await find(workload.name, workload.kind);
      const list = await (await api()).core.listNamespacedPod({ namespace: spec.namespace, labelSelector: selectorString(selector) });
      return list.items
        .map((pod) => pod.metadata?.name ?? '')
        .filter(Boolean)
        .sort();
    },
    url: (path) => joinUrl(cluster.ingressUrl, path),
    ...(options.host ? { host: options.host } : {}),
    pageUrl: (path) => joinUrl(withHost(cluster.ingressUrl, options.host), path),
    exec: kubectlExec(options),
    images: async () => stackImages(await api(), spec.namespace),
    imageIds: async () => runningImageIds(await api(), spec.namespace),
    uninstall: options.uninstall,
  };
}

/** `kubectl exec` into a pod of the stack, tried again while the request does not get through to the API. */
function kubectlExec({ spec, cluster, tools, retryPauseMs }: HandleOptions): Stack['exec'] {
  return async (pod, command, { signal, container, input }) => {
    const args = [...kubectlTarget(cluster), 'exec', '-n', spec.namespace, pod];
    if (input !== undefined) args.push('-i');
    if (container) args.push('-c', container);
    const once = async (attemptSignal: AbortSignal): Promise<string> =>
      (
        await tools.runTool('kubectl', [...args, '--', ...command], {
          signal: attemptSignal,
          env: tools.env,
          ...(input !== undefined ? { input } : {}),
        })
      ).stdout;
    return retryTransient(once, { what: `kubectl exec into pod ${pod}`, signal, pauseMs: retryPauseMs ?? 2000 });
  };
}

/** Tries of a request that does not get through to the API (pauses growing from 2 s), before the run says so. */
const TRANSIENT_TRIES = 4;
/** Only bounds the retry itself: the caller's signal is the real budget of the command. */
const RETRY_SCOPE_MS = 3_600_000;

/** Runs `once` again while it fails on the way to the API (never after the command started), then names the API. */
async function retryTransient(
  once: (signal: AbortSignal) => Promise<string>,
  options: { what: string; signal: AbortSignal; pauseMs: number },
): Promise<string> {
  try {
    return await retry(once, {
      within: RETRY_SCOPE_MS,
      attempts: TRANSIENT_TRIES,
      interval: options.pauseMs,
      signal: options.signal,
      what: options.what,
      retryIf: isTransientApiError,
    });
  } catch (error) {
    if (!isTransientApiError(error)) throw error;
    const last =
      (error instanceof ToolError && error.stderr.trim() ? error.stderr : toError(error).message).trim().split('\n').at(-1) ?? '';
    throw new ApiUnavailableError(`The Kubernetes API did not answer ${options.what} in ${TRANSIENT_TRIES} tries (last: ${last})`, {
      cause: error,
    });
  }
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

/** The ingress URL with `host` as its host name (port and scheme kept). */
function withHost(ingressUrl: string, host: string | undefined): string {
  if (!host) return ingressUrl;
  const url = new URL(ingressUrl);
  url.hostname = host;
  return url.toString();
}

interface WorkloadObject {
  metadata?: V1ObjectMeta;
  spec?: { selector: V1LabelSelector; template: V1PodTemplateSpec };
}

/** The Deployments, StatefulSets and DaemonSets of a namespace. */
async function listWorkloads(kube: Kube, namespace: string): Promise<FoundWorkload[]> {
  const [deployments, statefulSets, daemonSets] = await Promise.all([
    kube.apps.listNamespacedDeployment({ namespace }),
    kube.apps.listNamespacedStatefulSet({ namespace }),
    kube.apps.listNamespacedDaemonSet({ namespace }),
  ]);
  const entry =
    (kind: WorkloadKind) =>
    (item: WorkloadObject): FoundWorkload => ({
      ref: { kind, namespace, name: item.metadata?.name ?? '' },
      selector: item.spec?.selector,
      podSpec: item.spec?.template.spec,
    });
  return [
    ...deployments.items.map(entry('Deployment')),
    ...statefulSets.items.map(entry('StatefulSet')),
    ...daemonSets.items.map(entry('DaemonSet')),
  ];
}

/**
 * Container name → image over the pod templates of the workloads and CronJobs: what the stack
 * runs, known even before its pods exist and for CronJobs that have not fired yet.
 */
async function stackImages(kube: Kube, namespace: string): Promise<Record<string, string>> {
  const workloads = await listWorkloads(kube, namespace);
  const cronJobs = await kube.batch.listNamespacedCronJob({ namespace });
  const podSpecs = [...workloads.map((w) => w.podSpec), ...cronJobs.items.map((job) => job.spec?.jobTemplate.spec?.template.spec)];
  const images: Record<string, string> = {};
  for (const podSpec of podSpecs) {
    for (const container of [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])]) {
      if (container.image) images[container.name] ??= container.image;
    }
  }
  return images;
}

/** Container name → the image ID a running pod of the namespace reports for it (the first one found). */
async function runningImageIds(kube: Kube, namespace: string): Promise<Record<string, string>> {
  const pods = await kube.core.listNamespacedPod({ namespace });
  const ids: Record<string, string> = {};
  for (const pod of pods.items) {
    for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      if (status.imageID) ids[status.name] ??= status.imageID;
    }
  }
  return ids;
}

/** A label selector in the `labelSelector` query syntax. */
export function selectorString(selector: V1LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values = [] } of selector?.matchExpressions ?? []) {
    if (operator === 'In') parts.push(`${key} in (${values.join(',')})`);
    else if (operator === 'NotIn') parts.push(`${key} notin (${values.join(',')})`);
    else if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
  }
  return parts.join(',');
}

/** What a failed tool said, for one-paragraph messages: its stderr's last lines when the error carries them. */
export function failureTail(error: unknown, lines = 20): string {
  const stderr = typeof error === 'object' && error !== null && 'stderr' in error ? error.stderr : undefined;
  if (typeof stderr === 'string' && stderr.trim() !== '') return stderr.trim().split('\n').slice(-lines).join('\n');
  return error instanceof Error ? error.message : String(error);
}
