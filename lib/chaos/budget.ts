// How long the job of a killed RQ worker may stay `started`: RQ's own abandoned-job timing (heartbeat
// expiry, then the next registry cleanup) plus the time a replacement worker pod needs to come up,
// since on a one-worker queue that replacement is the only one left to run the cleanup.
import { formatDuration } from '../wait.ts';
import type { RqTimings } from '../drivers/rq-timings.ts';

/** Default time allowed for a replacement worker pod to be scheduled, started and running its first cleanup. */
export const REPLACEMENT_ALLOWANCE_S = 60;

/** The budget of a worker kill, with the parts it was derived from. */
export interface KillBudget {
  /** Whole budget, kill to the job leaving `started` (s). */
  totalS: number;
  /** How long the job's entry outlives the last heartbeat of the killed worker (s). */
  heartbeatTtlS: number;
  /** Longest time between two registry cleanups of an idle worker (s). */
  cleanupPeriodS: number;
  /** Allowance for the replacement pod (s). */
  replacementS: number;
  /** The RQ flags the timings came from, or "RQ defaults". */
  source: string;
}

/** The budget implied by the deployed worker's RQ settings. */
export function killBudget(timings: RqTimings, replacementS: number = REPLACEMENT_ALLOWANCE_S): KillBudget {
  return {
    totalS: timings.heartbeatTtlS + timings.cleanupPeriodS + replacementS,
    heartbeatTtlS: timings.heartbeatTtlS,
    cleanupPeriodS: timings.cleanupPeriodS,
    replacementS,
    source: timings.source,
  };
}

/** The budget and its derivation in one line, e.g. for a step title or a failure message. */
export function describeBudget(budget: KillBudget): string {
  const parts = [`heartbeat TTL ${budget.heartbeatTtlS}s`, `cleanup period ${budget.cleanupPeriodS}s`, `${budget.replacementS}s for the replacement pod`];
  return `${formatDuration(budget.totalS * 1000)} = ${parts.join(' + ')}; RQ flags: ${budget.source}`;
}

/** What a job still `started` at the end of the budget says (`observed`: the last status seen). */
export function stuckMessage(job: { jobId: string; pod: string; elapsedMs: number; observed: string }, budget: KillBudget): string {
  const state = job.observed === 'started' ? "still 'started'" : `not seen out of 'started' (last seen: ${job.observed})`;
  return (
    `job ${job.jobId} ${state} ${formatDuration(job.elapsedMs)} after worker pod ${job.pod} was killed ` +
    `(budget ${describeBudget(budget)}): RQ never declared it abandoned, so it is stuck`
  );
}
