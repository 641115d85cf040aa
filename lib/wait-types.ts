// What a wait is made of: the condition it polls, what each look saw, its options and listener, and the
// errors that end it. lib/wait.ts re-exports all of it; import from there.
import { HarnessError } from './errors.ts';
import { formatDuration } from './duration.ts';

/** One look at the world by a condition. */
export interface Observation<T> {
  /** Whether the condition holds. */
  ok: boolean;
  /** What was seen, short enough for a progress line (`2/3 ready`). */
  observed: string;
  /** The object the observation was made on, for callers that need more than the verdict. */
  value?: T;
}

/** A named check that a wait polls. */
export type Condition<T> = {
  /** What is awaited, phrased to follow "waiting for" (`3 ready replicas of deployment/web in namespace x`). */
  what: string;
  /** Looks once; gets the attempt's signal, which aborts at the deadline. */
  check: (signal: AbortSignal) => Promise<Observation<T>>;
};

/** Told of a wait's progress and of its end; the harness records these as the waits of the running check. */
export interface WaitListener {
  /** A check or attempt did not succeed: what it saw, and ms since the wait began. */
  attempt(what: string, attempt: number, observed: string, elapsedMs: number): void;
  /** The wait ended: whether it got what it waited for, what it saw last (or why it stopped), and ms since it began. */
  done(what: string, ok: boolean, observed: string, elapsedMs: number): void;
}

/** Options of `waitFor`. */
export interface WaitOptions {
  /**
   * Budget in ms; capped by the deadline of an enclosing wait whose signal is passed in. `Infinity` leaves the
   * end to `signal` alone (the deadline of an enclosing wait, or the caller's own abort).
   */
  within: number;
  /** Aborts the wait (Ctrl-C, the caller's own deadline). */
  signal?: AbortSignal;
  /** First pause between checks in ms (default 500); grows by 1.5× up to 5 s unless `fixedInterval`. */
  interval?: number;
  /** Pause exactly `interval` between checks (no growth, no jitter): for waits whose look times set a measurement's precision. */
  fixedInterval?: boolean;
  /** Whether the first check runs at once (default) or after one `interval`. */
  immediate?: boolean;
  /** Called after each check that did not succeed. */
  onAttempt?: (attempt: number, observed: string, elapsedMs: number) => void;
  /** Told of each check that did not succeed and of the outcome (lib code is handed it, so its waits reach the report). */
  listener?: WaitListener;
}

/** What `waitFor` resolves with: the observation that held, and when. */
export type WaitResult<T> = Observation<T> & {
  /** ms from the start of the wait to the end of the check that held. */
  elapsedMs: number;
  /** ms between the end of that check and the end of the one before (the start of the wait, for the first): how precisely the moment it came true is known. */
  gapMs: number;
};

/** Options of `retry`. */
export interface RetryOptions extends Omit<WaitOptions, 'interval' | 'immediate'> {
  /** Most attempts in total (default: as many as fit in `within`). */
  attempts?: number;
  /** What the operation achieves, phrased to follow "waiting for". */
  what: string;
  /** First pause between attempts in ms (default 500). */
  interval?: number;
  /** Whether a failed attempt is worth repeating; an error it refuses ends the retry at once (default: any but fatal ones). */
  retryIf?: (error: unknown) => boolean;
}

/** A wait ran out of time. */
export class TimeoutError extends HarnessError {
  constructor(
    /** What was awaited. */
    readonly what: string,
    /** The budget that ran out, in ms. */
    readonly withinMs: number,
    /** The last observation before the deadline. */
    readonly lastObserved: string,
    options?: ErrorOptions,
  ) {
    super('timeout', `Timed out after ${formatDuration(withinMs)} waiting for ${what} (last seen: ${lastObserved})`, undefined, options);
    this.name = 'TimeoutError';
  }
}

/** Thrown by a check when its condition can never hold (a failed Job): the wait stops at once. */
export class ConditionFailedError extends HarnessError {
  constructor(message: string, options?: ErrorOptions) {
    super('deploy', message, undefined, options);
    this.name = 'ConditionFailedError';
  }
}

/** One look of `poll`. */
export interface Look<T> {
  /** What the look returned; absent when it failed. */
  value?: T;
  /** Why the look failed: what it threw, or a TimeoutError when it outran `lookWithin`. */
  error?: Error;
  /** When the look ended, monotonic ms (`performance.now()`). */
  mono: number;
  /** When the look ended, wall clock (ISO). */
  wall: string;
  /** ms since the previous look ended (since the poll began, for the first): how precisely a change seen at this look is timed. */
  gapMs: number;
}

/** Options of `poll`. */
export interface PollOptions {
  /** What a look checks, phrased to follow "waiting for" (it names a look that outruns `lookWithin`). */
  what: string;
  /** Pause after each look, ms: fixed (no growth, no jitter), so the gap between looks stays known. */
  every: number;
  /** Budget of one look, ms. */
  lookWithin: number;
  /** Ends the polling, which then resolves: an observer is stopped, it does not fail. */
  signal: AbortSignal;
  /** Budget of the whole poll, ms (default: until `signal` aborts); the polling ends quietly at its deadline too. */
  within?: number;
}
