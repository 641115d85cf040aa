// Killing the worker pod under a running job and timing RQ's verdict on that job: the wait is bounded
// by the objective, and a job still `started` at its end fails the check with a message that names the
// job, the pod, the time waited, the bound the worker's RQ flags imply and the flags that would meet it.
import type { OpenmsDriver, WorkflowStatus } from '../../lib/drivers/openms.ts';
import { deletePod } from '../../lib/k8s/objects.ts';
import type { Harness } from '../../lib/suite.ts';
import { TimeoutError } from '../../lib/wait.ts';
import { jobLeftStarted, podOfJob, type JobOutcome } from '../../lib/drivers/rq-job-outcome.ts';
import { stuckMessage, type KillBudget } from './budget.ts';
import { measured, timed, type Looks } from './timed.ts';

/** A job running on a worker pod. */
export interface RunningJob {
  /** Workspace of the job. */
  workspace: string;
  /** RQ job id. */
  jobId: string;
  /** RQ worker name that runs it. */
  worker: string;
  /** Pod of that worker. */
  pod: string;
}

/** RQ's verdict on the job of a killed worker, and when it was seen. */
export interface JobVerdict {
  /** Where the job went. */
  outcome: JobOutcome;
  /** The status that showed it. */
  status: WorkflowStatus;
  /** Kill to the first look that saw the job out of `started` (ms). */
  killToVerdictMs: number;
  /** How far before that look the verdict may have fallen: the gap since the last look that saw it started (ms). */
  precisionMs: number;
}

/** The worker pod that runs the job, found through RQ's worker registry; throws naming what RQ listed. */
export async function workerPodOf(
  driver: Pick<OpenmsDriver, 'queue'>,
  job: { workspace: string; jobId: string; worker: string },
  signal: AbortSignal,
): Promise<RunningJob> {
  const queue = await driver.queue({ signal });
  const pod = podOfJob(queue, job);
  if (!pod) {
    const listed = queue.workers.map((w) => `${w.name}@${w.hostname} (job ${w.current_job ?? 'none'})`).join(', ') || 'none';
    throw new Error(`no RQ worker runs job ${job.jobId} (its worker name: ${job.worker}; workers: ${listed})`);
  }
  return { ...job, pod };
}

/** When a kill was asked. */
export interface KillMark {
  /** Monotonic ms, for durations measured here. */
  at: number;
  /** Epoch ms, for comparing with timestamps the stack records (RQ's). */
  wallMs: number;
  /** How long the delete call took: the uncertainty of the moment the kill landed (ms). */
  callMs: number;
}

/** Deletes the pod with no grace period (a crash, not a graceful stop); resolves when the kill was asked. */
export async function crashPod(
  kube: Pick<Harness['kube'], 'core'>,
  namespace: string,
  pod: string,
  signal: AbortSignal,
): Promise<KillMark> {
  const at = performance.now();
  const wallMs = Date.now();
  const deleted = await deletePod(kube, namespace, pod, { gracePeriodSeconds: 0, signal });
  if (!deleted) throw new Error(`pod ${pod} was already gone when it was to be killed`);
  return { at, wallMs, callMs: Math.max(1, Math.round(performance.now() - at)) };
}

/** Waits, within the objective, until the job of the killed worker leaves `started`; a stuck job fails with the budget's derivation. */
export async function awaitVerdict(
  h: Pick<Harness, 'waitFor'>,
  driver: Pick<OpenmsDriver, 'status'>,
  killed: { job: RunningJob; killedAt: number; budget: KillBudget },
  now: () => number = () => performance.now(),
): Promise<JobVerdict> {
  const { job, killedAt, budget } = killed;
  const looks: Looks = {};
  const condition = timed(jobLeftStarted(driver, { workspace: job.workspace, jobId: job.jobId, killedWorker: job.worker }), looks, now);
  const remaining = Math.max(1, killedAt + budget.objectiveS * 1000 - now());
  try {
    const seen = await h.waitFor(condition, { within: remaining, interval: 2000 });
    if (!seen.value) throw new Error(`the status of job ${job.jobId} was not kept by the wait`);
    const { ms, precisionMs } = measured(looks, killedAt, now());
    return { outcome: seen.value.outcome, status: seen.value.status, killToVerdictMs: ms, precisionMs };
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    const observed = error.lastObserved;
    throw new Error(stuckMessage({ jobId: job.jobId, pod: job.pod, elapsedMs: now() - killedAt, observed }, budget), { cause: error });
  }
}
