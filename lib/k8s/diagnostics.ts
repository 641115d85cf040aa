// Evidence for a failed run, collected before teardown: namespace events, describe-like summaries of pods
// and deployments, and the tail of every container's log. Never throws; what could not be read is listed.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppsV1Api, CoreV1Api, CoreV1Event, V1ContainerState, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { describeApiError, requestOptions } from './client.ts';

/** The API methods evidence collection reads. */
export interface EvidenceApi {
  /** Events, pods and logs. */
  core: Pick<CoreV1Api, 'listNamespacedEvent' | 'listNamespacedPod' | 'readNamespacedPodLog'>;
  /** Deployments. */
  apps: Pick<AppsV1Api, 'listNamespacedDeployment'>;
}

/** Options of `collectEvidence`. */
export interface EvidenceOptions {
  /** Stops collecting (what was written so far stays). */
  signal?: AbortSignal;
  /** Strings replaced by `***` in every file (passwords the run generated). */
  redact?: readonly string[];
  /** Log lines per container (default 200). */
  tailLines?: number;
}

/** A value for a report line: `-` when absent, ISO for dates. */
function text(value: string | number | boolean | Date | undefined | null): string {
  if (value === undefined || value === null || value === '') return '-';
  return value instanceof Date ? value.toISOString() : String(value);
}

const safeName = (name: string | undefined): string => (name ?? 'unnamed').replace(/[^\w.-]+/g, '_');

function eventTime(event: CoreV1Event): number {
  const when = event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp;
  return when ? when.getTime() : 0;
}

function formatEvents(events: CoreV1Event[]): string {
  const sorted = [...events].sort((a, b) => eventTime(a) - eventTime(b));
  const lines = sorted.map((e) => {
    const object = `${text(e.involvedObject.kind)}/${text(e.involvedObject.name)}`;
    const count = (e.count ?? 1) > 1 ? ` (x${e.count})` : '';
    return `${text(new Date(eventTime(e)))}  ${text(e.type)}  ${text(e.reason)}  ${object}${count}  ${text(e.message)}`;
  });
  return `${lines.join('\n')}\n`;
}

function describeState(state: V1ContainerState | undefined): string {
  if (state?.running) return `Running since ${text(state.running.startedAt)}`;
  if (state?.waiting) return `Waiting: ${text(state.waiting.reason)} ${text(state.waiting.message)}`;
  const t = state?.terminated;
  if (t) return `Terminated: ${text(t.reason)} (exit ${t.exitCode}) ${text(t.startedAt)} → ${text(t.finishedAt)} ${text(t.message)}`;
  return '-';
}

function conditionLines(conditions: { type: string; status: string; reason?: string; message?: string }[] | undefined): string[] {
  return (conditions ?? []).map((c) => `  ${c.type}=${c.status} ${text(c.reason)} ${text(c.message)}`);
}

function containerLines(pod: V1Pod): string[] {
  const lines: string[] = [];
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    lines.push(`  ${s.name}  image ${s.image}  ready ${s.ready}  restarts ${s.restartCount}`, `    state: ${describeState(s.state)}`);
    if (s.lastState?.terminated || s.lastState?.waiting) lines.push(`    last state: ${describeState(s.lastState)}`);
  }
  return lines;
}

function describePod(pod: V1Pod): string {
  const meta = pod.metadata ?? {};
  const status = pod.status ?? {};
  const lines = [
    `Pod ${text(meta.namespace)}/${text(meta.name)}`,
    `Node: ${text(pod.spec?.nodeName)}    Phase: ${text(status.phase)}    Reason: ${text(status.reason)}`,
    `Started: ${text(status.startTime)}    Deleting since: ${text(meta.deletionTimestamp)}`,
    'Conditions:',
    ...conditionLines(status.conditions),
    'Containers:',
    ...containerLines(pod),
  ];
  return `${lines.join('\n')}\n`;
}

function describeDeployment(d: V1Deployment): string {
  const meta = d.metadata ?? {};
  const s = d.status ?? {};
  const images = (d.spec?.template.spec?.containers ?? []).map((c) => `${c.name}=${text(c.image)}`);
  const lines = [
    `Deployment ${text(meta.namespace)}/${text(meta.name)}`,
    `Replicas: ${text(d.spec?.replicas)} desired, ${text(s.updatedReplicas)} updated, ${text(s.readyReplicas)} ready, ${text(s.availableReplicas)} available, ${text(s.unavailableReplicas)} unavailable`,
    `Generation: ${text(meta.generation)} (observed ${text(s.observedGeneration)})`,
    `Images: ${images.join(', ')}`,
    'Conditions:',
    ...conditionLines(s.conditions),
  ];
  return `${lines.join('\n')}\n`;
}

type Save = (name: string, text: string) => Promise<void>;
type Attempt = (label: string, work: () => Promise<void>) => Promise<void>;

/** Collects the evidence of namespace `namespace` into `dir`; returns the files written. Never throws. */
export async function collectEvidence(kube: EvidenceApi, namespace: string, dir: string, options: EvidenceOptions = {}): Promise<string[]> {
  const written: string[] = [];
  const errors: string[] = [];
  const clean = (text: string): string =>
    (options.redact ?? []).filter(Boolean).reduce((acc, secret) => acc.replaceAll(secret, '***'), text);
  const save: Save = async (name, text) => {
    const path = join(dir, name);
    await writeFile(path, clean(text));
    written.push(path);
  };
  const attempt: Attempt = async (label, work) => {
    if (options.signal?.aborted) return void errors.push(`${label}: skipped, collection was interrupted`);
    try {
      await work();
    } catch (error) {
      errors.push(`${label}: ${describeApiError(error)}`);
    }
  };
  try {
    await mkdir(dir, { recursive: true });
    await collectAll(kube, namespace, { ...options, save, attempt });
  } catch (error) {
    errors.push(`evidence: ${describeApiError(error)}`);
  }
  if (errors.length > 0) await save('errors.txt', `${errors.join('\n')}\n`).catch(() => undefined);
  return written;
}

async function collectAll(kube: EvidenceApi, namespace: string, ctx: EvidenceOptions & { save: Save; attempt: Attempt }): Promise<void> {
  const { save, attempt } = ctx;
  const request = requestOptions(ctx.signal);
  await attempt('events', async () =>
    save('events.txt', formatEvents((await kube.core.listNamespacedEvent({ namespace }, request)).items)),
  );
  await attempt('deployments', async () => {
    for (const d of (await kube.apps.listNamespacedDeployment({ namespace }, request)).items) {
      await save(`deployment-${safeName(d.metadata?.name)}.txt`, describeDeployment(d));
    }
  });
  let pods: V1Pod[] = [];
  await attempt('pods', async () => {
    pods = (await kube.core.listNamespacedPod({ namespace }, request)).items;
    for (const pod of pods) await save(`pod-${safeName(pod.metadata?.name)}.txt`, describePod(pod));
  });
  for (const pod of pods) await collectLogs(kube, pod, ctx);
}

async function collectLogs(kube: EvidenceApi, pod: V1Pod, ctx: EvidenceOptions & { save: Save; attempt: Attempt }): Promise<void> {
  const { name = '', namespace = '' } = pod.metadata ?? {};
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  // A restarted container's previous run usually holds the crash, so it is collected too.
  const runs = statuses.flatMap(
    (s) =>
      (s.restartCount > 0
        ? [
            [s.name, false],
            [s.name, true],
          ]
        : [[s.name, false]]) as [string, boolean][],
  );
  for (const [container, previous] of runs) {
    const suffix = previous ? '-previous' : '';
    await ctx.attempt(`logs of ${name}/${container}${suffix}`, async () => {
      const params = { name, namespace, container, tailLines: ctx.tailLines ?? 200, previous };
      const log = await kube.core.readNamespacedPodLog(params, requestOptions(ctx.signal));
      await ctx.save(`logs-${safeName(name)}-${safeName(container)}${suffix}.txt`, log);
    });
  }
}
