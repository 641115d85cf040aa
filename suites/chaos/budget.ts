// How long the job of a killed RQ worker may stay `started`, and how long its RQ settings let it: the
// check is judged against an objective the user sets (--slo, the recovery claim), and RQ's own
// abandoned-job timing (heartbeat expiry, then the next registry cleanup, plus the time a replacement
// worker pod needs to come up, since on a one-worker queue that replacement is the only one left to run
// the cleanup) says whether the worker's flags can meet it, and which flags would.
import { formatDuration } from '../../lib/wait.ts';
import type { RqTimings } from '../../lib/drivers/rq-timings.ts';

/** Default time allowed for a replacement worker pod to be scheduled, started and running its first cleanup. */
export const REPLACEMENT_ALLOWANCE_S = 60;

/** The objective of a worker kill, and the bound the worker's RQ flags imply, with its parts. */
export interface KillBudget {
  /** The objective: kill to the job leaving `started` (s). */
  objectiveS: number;
  /** The longest the worker's RQ flags let the job stay `started` (s). */
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

/** The budget of a worker kill judged against `objectiveS`. */
export function killBudget(timings: RqTimings, objectiveS: number, replacementS: number = REPLACEMENT_ALLOWANCE_S): KillBudget {
  return {
    objectiveS,
    totalS: timings.heartbeatTtlS + timings.cleanupPeriodS + replacementS,
    heartbeatTtlS: timings.heartbeatTtlS,
    cleanupPeriodS: timings.cleanupPeriodS,
    replacementS,
    source: timings.source,
  };
}

/** The bound the flags imply and its derivation in one line. */
export function describeBound(budget: KillBudget): string {
  const parts = [
    `heartbeat TTL ${budget.heartbeatTtlS}s`,
    `cleanup period ${budget.cleanupPeriodS}s`,
    `${budget.replacementS}s for the replacement pod`,
  ];
  return `${formatDuration(budget.totalS * 1000)} = ${parts.join(' + ')}; RQ flags: ${budget.source}`;
}

/** The objective and the bound, e.g. for a step title. */
export function describeBudget(budget: KillBudget): string {
  return `the objective of ${formatDuration(budget.objectiveS * 1000)} (RQ's flags imply up to ${describeBound(budget)})`;
}

/**
 * `rq worker` flags whose bound meets the objective: the reference worker's `--worker-ttl 60
 * --maintenance-interval 30` when they do, else a cleanup period that leaves a fifth of the room spare;
 * undefined when even a 15 s cleanup period cannot (the heartbeat TTL and the replacement take it all).
 */
export function flagsMeeting(
  budget: Pick<KillBudget, 'objectiveS' | 'heartbeatTtlS' | 'replacementS'>,
): { flags: string; boundS: number } | undefined {
  const room = budget.objectiveS - budget.heartbeatTtlS - budget.replacementS;
  if (room >= 45) return { flags: '--worker-ttl 60 --maintenance-interval 30', boundS: budget.heartbeatTtlS + 45 + budget.replacementS };
  const cleanup = Math.floor((room * 0.8) / 5) * 5;
  if (cleanup < 15) return undefined;
  return {
    flags: `--worker-ttl ${cleanup + 15} --maintenance-interval ${cleanup}`,
    boundS: budget.heartbeatTtlS + cleanup + budget.replacementS,
  };
}

/** Why the flags cannot meet the objective, and what would; undefined when they can. */
export function flagsProblem(budget: KillBudget): string | undefined {
  if (budget.totalS <= budget.objectiveS) return undefined;
  const over = `the worker's RQ flags let it stay 'started' up to ${describeBound(budget)}, over the objective of ${formatDuration(budget.objectiveS * 1000)}`;
  const fix = flagsMeeting(budget);
  if (!fix)
    return `${over}; no worker flags can meet it: the heartbeat TTL and the replacement pod alone take ${formatDuration((budget.heartbeatTtlS + budget.replacementS) * 1000)}`;
  return `${over}; \`rq worker ${fix.flags}\` would meet it (up to ${formatDuration(fix.boundS * 1000)})`;
}

/** What a job still `started` at the objective says (`observed`: the last status seen). */
export function stuckMessage(job: { jobId: string; pod: string; elapsedMs: number; observed: string }, budget: KillBudget): string {
  const state = job.observed === 'started' ? "still 'started'" : `not seen out of 'started' (last seen: ${job.observed})`;
  const head = `job ${job.jobId} ${state} ${formatDuration(job.elapsedMs)} after worker pod ${job.pod} was killed, past the objective of ${formatDuration(budget.objectiveS * 1000)}`;
  return `${head}: ${flagsProblem(budget) ?? `RQ never declared it abandoned although its flags imply at most ${describeBound(budget)}, so it is stuck`}`;
}
