// The job of a killed RQ worker, seen through the driver's status: which pod runs it, whether it has
// left `started` (failed as abandoned, requeued, or run again by another worker), and the RQ error named.
import type { OpenmsDriver, QueueState, WorkflowStatus } from './openms.ts';
import type { Condition } from '../wait.ts';

/** Where a killed worker's job went. */
export type JobOutcome =
  { kind: 'stuck' } | { kind: 'failed'; error: string } | { kind: 'retried'; how: string } | { kind: 'finished' } | { kind: 'lost' };

const REQUEUED = ['queued', 'deferred', 'scheduled'];

/** Classifies a job's status after its worker `killedWorker` (RQ worker name) was killed. */
export function jobOutcome(status: Pick<WorkflowStatus, 'status' | 'worker' | 'error'>, killedWorker: string): JobOutcome {
  switch (status.status) {
    case 'started':
      return status.worker && status.worker !== killedWorker
        ? { kind: 'retried', how: `started again on ${status.worker}` }
        : { kind: 'stuck' };
    case 'failed':
    case 'canceled':
    case 'stopped':
      return { kind: 'failed', error: rqErrorName(status.error) ?? status.status };
    case 'finished':
      return { kind: 'finished' };
    case 'unknown':
      return { kind: 'lost' };
    default:
      return REQUEUED.includes(status.status) ? { kind: 'retried', how: `requeued (${status.status})` } : { kind: 'stuck' };
  }
}

/** The exception class named in RQ's exc string (`... due to AbandonedJobError ...` names AbandonedJobError). */
export function rqErrorName(excString: string | null | undefined): string | undefined {
  const names = excString?.match(/\b[A-Z][A-Za-z0-9]*(?:Error|Exception)\b/g);
  return names?.[names.length - 1];
}

// RQ's exc string of an abandoned job ends "..., at 2026-11-22 16:03:56.376420+00:00".
const MOVED_AT = /\bat (\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))\s*$/;

/** When RQ itself declared the job ended (epoch ms): `ended_at`, else the time in its exc string; only zoned times count. */
export function rqEndedAt(status: Pick<WorkflowStatus, 'ended_at' | 'error'>): number | undefined {
  const zoned = (text: string | null | undefined): number | undefined =>
    text && /(?:Z|[+-]\d\d:\d\d)$/.test(text) ? Date.parse(text.replace(' ', 'T')) : undefined;
  const fromEnd = zoned(status.ended_at);
  if (fromEnd !== undefined && Number.isFinite(fromEnd)) return fromEnd;
  const fromError = zoned(status.error?.trim().match(MOVED_AT)?.[1]);
  return fromError !== undefined && Number.isFinite(fromError) ? fromError : undefined;
}

/** The pod (hostname) of the RQ worker that runs `jobId`: by the job's worker name, else by the worker's current job. */
export function podOfJob(queue: Pick<QueueState, 'workers'>, job: { jobId: string; worker?: string | null }): string | undefined {
  const byName = job.worker ? queue.workers.find((w) => w.name === job.worker) : undefined;
  return (byName ?? queue.workers.find((w) => w.current_job === job.jobId))?.hostname;
}

/** The job has left `started` on the killed worker. */
export function jobLeftStarted(
  driver: Pick<OpenmsDriver, 'status'>,
  job: { workspace: string; jobId: string; killedWorker: string },
): Condition<{ status: WorkflowStatus; outcome: JobOutcome }> {
  return {
    what: `job ${job.jobId} to leave 'started' after its worker ${job.killedWorker} was killed`,
    check: async (signal) => {
      const status = await driver.status(job.workspace, { signal });
      const outcome = jobOutcome(status, job.killedWorker);
      const ok = outcome.kind !== 'stuck';
      return { ok, observed: ok ? describeOutcome(outcome) : status.status, value: { status, outcome } };
    },
  };
}

/** An outcome in a few words, for step titles and metrics. */
export function describeOutcome(outcome: JobOutcome): string {
  switch (outcome.kind) {
    case 'stuck':
      return 'still started';
    case 'failed':
      return `failed (${outcome.error})`;
    case 'retried':
      return `retried: ${outcome.how}`;
    case 'finished':
      return 'finished';
    case 'lost':
      return 'unknown to Redis';
  }
}
