// Running a CronJob now, as `kubectl create job --from=cronjob/<name>` does: a Job from its template,
// owned by the CronJob and marked as a manual instantiation, then its pod's log for the evidence.
import type { BatchV1Api, CoreV1Api, V1CronJob, V1Job } from '@kubernetes/client-node';
import { deleteUnlessGone, requestOptions } from './client.ts';

/** A CronJob as the API returns it. */
export type CronJob = V1CronJob;

/** The annotation kubectl puts on a Job created from a CronJob by hand. */
export const MANUAL_ANNOTATION = 'cronjob.kubernetes.io/instantiate';

/** The CronJob of a namespace whose name is `name` or ends with `-name` (overlays prefix names). */
export async function findCronJob(
  kube: { batch: Pick<BatchV1Api, 'listNamespacedCronJob'> },
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<V1CronJob> {
  const list = await kube.batch.listNamespacedCronJob({ namespace }, requestOptions(signal));
  const names = list.items.map((item) => item.metadata?.name ?? '');
  const found =
    list.items.find((item) => item.metadata?.name === name) ?? list.items.find((item) => item.metadata?.name?.endsWith(`-${name}`));
  if (!found)
    throw new Error(`no CronJob named ${name} (or *-${name}) in namespace ${namespace} (CronJobs there: ${names.join(', ') || 'none'})`);
  return found;
}

/** The Job `kubectl create job --from=cronjob/...` would create, named `jobName`. */
export function jobFromCronJob(cronJob: V1CronJob, jobName: string): V1Job {
  const template = cronJob.spec?.jobTemplate;
  if (!template?.spec) throw new Error(`CronJob ${cronJob.metadata?.name ?? '?'} has no job template`);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName,
      namespace: cronJob.metadata?.namespace,
      labels: { ...template.metadata?.labels },
      annotations: { ...template.metadata?.annotations, [MANUAL_ANNOTATION]: 'manual' },
      ownerReferences: cronJob.metadata?.uid
        ? [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cronJob.metadata.name ?? '', uid: cronJob.metadata.uid, controller: true }]
        : undefined,
    },
    spec: template.spec,
  };
}

/** Creates the Job `kubectl create job --from=cronjob/<name>` would create, named `jobName`. */
export async function runCronJobNow(
  kube: { batch: Pick<BatchV1Api, 'createNamespacedJob'> },
  cronJob: V1CronJob,
  jobName: string,
  signal?: AbortSignal,
): Promise<V1Job> {
  const namespace = cronJob.metadata?.namespace;
  if (!namespace) throw new Error(`CronJob ${cronJob.metadata?.name ?? '?'} names no namespace`);
  return kube.batch.createNamespacedJob({ namespace, body: jobFromCronJob(cronJob, jobName) }, requestOptions(signal));
}

/** Deletes a Job and its pods; resolves `false` when it was already gone. */
export async function deleteJob(
  kube: { batch: Pick<BatchV1Api, 'deleteNamespacedJob'> },
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<boolean> {
  return deleteUnlessGone(() =>
    kube.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' }, requestOptions(signal)),
  );
}

/** The logs of a Job's pods, each headed by the pod name ('' when no pod is left). */
export async function jobLogs(
  kube: { core: Pick<CoreV1Api, 'listNamespacedPod' | 'readNamespacedPodLog'> },
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<string> {
  const pods = await kube.core.listNamespacedPod({ namespace, labelSelector: `job-name=${name}` }, requestOptions(signal));
  const parts = await Promise.all(
    pods.items.map(async (pod) => {
      const podName = pod.metadata?.name ?? '?';
      const log = await kube.core
        .readNamespacedPodLog({ name: podName, namespace }, requestOptions(signal))
        .catch((error: unknown) => `(no log: ${String(error)})`);
      return `== ${podName}\n${log}`;
    }),
  );
  return parts.join('\n');
}

/** A container env value of the CronJob's job template (first container that sets it). */
export function cronJobEnv(cronJob: V1CronJob, name: string): string | undefined {
  const containers = cronJob.spec?.jobTemplate.spec?.template.spec?.containers ?? [];
  for (const container of containers) {
    const found = container.env?.find((entry) => entry.name === name);
    if (found?.value !== undefined) return found.value;
  }
  return undefined;
}
