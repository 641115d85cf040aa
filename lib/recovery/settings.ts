// The cluster and stack settings that decide how fast a dead node's pods come back: kube-controller-manager's
// node-monitor-grace-period (from its static pod's flags, else the default of the server version), the pods'
// not-ready/unreachable tolerationSeconds, and their restart policy.
import type { V1Pod } from '@kubernetes/client-node';
import type { Kube } from '../k8s/client.ts';
import { requestOptions } from '../k8s/client.ts';

/** The taints a node gets when it stops answering; pods tolerate them for tolerationSeconds, then are evicted. */
export const NODE_DOWN_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'] as const;

/** What drives a recovery's timing. */
export interface RecoverySettings {
  /** node-monitor-grace-period (s): how long after its last heartbeat a node is marked NotReady. */
  graceS: number;
  /** Where graceS came from. */
  graceSource: string;
  /** Per stack pod: its workload, tolerations and restart policy. */
  pods: PodSettings[];
}

/** The settings of one pod. */
export interface PodSettings {
  /** Pod name. */
  pod: string;
  /** Node it runs on. */
  node: string;
  /** tolerationSeconds for node.kubernetes.io/not-ready (undefined: tolerated forever or not at all). */
  notReadyS?: number;
  /** tolerationSeconds for node.kubernetes.io/unreachable. */
  unreachableS?: number;
  /** The pod's restartPolicy. */
  restartPolicy: string;
}

/** Seconds of a Go duration such as `40s`, `1m0s`, `500ms`; undefined when it is not one. */
export function goDurationSeconds(text: string): number | undefined {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) return undefined;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  return parts.reduce((sum, p) => sum + Number(p[1]) * (unit[p[2] as string] ?? 0), 0);
}

/** node-monitor-grace-period from kube-controller-manager's command line, when set there. */
export function graceFromFlags(args: readonly string[]): number | undefined {
  for (const [i, arg] of args.entries()) {
    if (arg.startsWith('--node-monitor-grace-period=')) return goDurationSeconds(arg.slice(arg.indexOf('=') + 1));
    if (arg === '--node-monitor-grace-period') return goDurationSeconds(args[i + 1] ?? '');
  }
  return undefined;
}

/** The default node-monitor-grace-period of a Kubernetes version: 50 s from v1.32 (kubernetes#126287), 40 s before. */
export function defaultGraceS(serverVersion: string): number {
  const match = /^v?(\d+)\.(\d+)/.exec(serverVersion);
  if (!match) return 50;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 1 || minor >= 32 ? 50 : 40;
}

/** The tolerations and restart policy of a pod. */
export function podSettings(pod: V1Pod): PodSettings {
  const seconds = (key: string): number | undefined =>
    pod.spec?.tolerations?.find((t) => t.key === key && (t.effect === undefined || t.effect === 'NoExecute'))?.tolerationSeconds;
  return {
    pod: pod.metadata?.name ?? '?',
    node: pod.spec?.nodeName ?? '',
    notReadyS: seconds(NODE_DOWN_TAINTS[0]),
    unreachableS: seconds(NODE_DOWN_TAINTS[1]),
    restartPolicy: pod.spec?.restartPolicy ?? 'Always',
  };
}

/** The shortest not-ready/unreachable toleration among pods (what bounds the first eviction); undefined if none. */
export function shortestToleration(pods: readonly PodSettings[]): number | undefined {
  const all = pods.flatMap((p) => [p.notReadyS, p.unreachableS]).filter((s): s is number => s !== undefined);
  return all.length > 0 ? Math.min(...all) : undefined;
}

/** Reads the settings from the cluster: the controller-manager's flags and the stack's pods. */
export async function readSettings(
  kube: Pick<Kube, 'core'>,
  namespace: string,
  serverVersion: string,
  signal?: AbortSignal,
): Promise<RecoverySettings> {
  const managers = await kube.core.listNamespacedPod(
    { namespace: 'kube-system', labelSelector: 'component=kube-controller-manager' },
    requestOptions(signal),
  );
  const container = managers.items[0]?.spec?.containers[0];
  const flags = [...(container?.command ?? []), ...(container?.args ?? [])];
  const set = graceFromFlags(flags);
  const graceSource =
    set !== undefined
      ? 'the --node-monitor-grace-period flag of kube-controller-manager'
      : `the default of Kubernetes ${serverVersion} (kube-controller-manager ${container ? 'does not set the flag' : 'was not found in kube-system'})`;
  const pods = await kube.core.listNamespacedPod({ namespace }, requestOptions(signal));
  const live = pods.items.filter(
    (p) => !p.metadata?.deletionTimestamp && p.metadata?.ownerReferences?.some((o) => o.kind === 'ReplicaSet' || o.kind === 'StatefulSet'),
  );
  return { graceS: set ?? defaultGraceS(serverVersion), graceSource, pods: live.map(podSettings) };
}

/** The settings as short lines for steps and the report. */
export function describeSettings(s: RecoverySettings): string[] {
  const tolerations = s.pods.map(
    (p) =>
      `${p.pod} on ${p.node}: not-ready ${p.notReadyS ?? '∞'} s, unreachable ${p.unreachableS ?? '∞'} s, restartPolicy ${p.restartPolicy}`,
  );
  return [`node-monitor-grace-period ${s.graceS} s (${s.graceSource})`, ...tolerations];
}
