// Waiting and retrying, written once: absolute deadlines carried down through AbortSignals, p-retry for the
// schedule, and one TimeoutError that names what was awaited, the budget and the last thing seen.
import pRetry, { AbortError, type Options as RetrySchedule } from 'p-retry';
import { ConfigError, HarnessError, toError } from './errors.ts';

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

const NOTHING_SEEN = 'nothing yet (no check finished)';
const MAX_PAUSE_MS = 5_000;
const DEFAULT_INTERVAL_MS = 500;

/** The abort reason of a deadline timer; tells a deadline apart from the caller's own abort. */
class DeadlineReached extends Error {}
class NotYet extends Error {}

/** Monotonic deadline of every signal this module made, so nested waits can cap themselves. */
const deadlines = new WeakMap<AbortSignal, number>();

interface Scope {
  signal: AbortSignal;
  deadline: number;
  budgetMs: number;
  started: number;
  close(): void;
}

// Equivalent to AbortSignal.any([parent, AbortSignal.timeout(remaining)]), but its timer and listener are
// removed on close: AbortSignal.timeout cannot be cleared, and AbortSignal.any keeps listeners on a
// long-lived parent alive.
function openScope(within: number, parent: AbortSignal | undefined): Scope {
  if (!(within > 0)) throw new TypeError(`Expected \`within\` to be a positive number of ms, got ${within}`);
  const started = performance.now();
  const deadline = Math.min(parent ? (deadlines.get(parent) ?? Infinity) : Infinity, started + within);
  const controller = new AbortController();
  const onParentAbort = (): void => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onParentAbort, { once: true });
  // An unbounded scope (`within: Infinity` and no enclosing deadline) ends only with its parent.
  const timer = Number.isFinite(deadline)
    ? setTimeout(() => controller.abort(new DeadlineReached('deadline reached')), deadline - started)
    : undefined;
  if (parent?.aborted) onParentAbort();
  deadlines.set(controller.signal, deadline);
  const close = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  };
  return { signal: controller.signal, deadline, budgetMs: Math.round(deadline - started), started, close };
}

function schedule(scope: Scope, pauses: { interval?: number; fixedInterval?: boolean }, attempts = Infinity): RetrySchedule {
  const interval = pauses.interval ?? DEFAULT_INTERVAL_MS;
  const fixed = pauses.fixedInterval === true;
  return {
    retries: attempts - 1,
    signal: scope.signal,
    maxRetryTime: Math.max(0, scope.deadline - performance.now()),
    minTimeout: interval,
    factor: fixed ? 1 : 1.5,
    maxTimeout: fixed ? interval : Math.max(interval, MAX_PAUSE_MS),
    randomize: !fixed,
  };
}

/**
 * Settles with `work`, or rejects with the abort reason as soon as `signal` aborts, even when `work` ignores its
 * signal (p-retry does not interrupt a running attempt, and a setup may not listen). Work that has already
 * settled when the abort is noticed keeps its outcome; a later rejection of the losing work is absorbed.
 */
export async function raceAbort<T>(work: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) throw toError(signal.reason);
  const running = work(signal);
  running.catch(() => undefined);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(toError(signal.reason));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([running, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** Errors no repetition can fix: programming bugs, bad config, an interrupt, a condition that cannot hold. */
function isFatal(error: unknown): boolean {
  if (error instanceof ConditionFailedError) return true;
  if (error instanceof HarnessError) return error.kind === 'config' || error.kind === 'interrupted';
  return error instanceof TypeError && !/fetch|network/i.test(error.message);
}

/** What a wait that ended in `error` saw last, for its listener. */
function lastSeen(error: unknown): string {
  return error instanceof TimeoutError ? error.lastObserved : toError(error).message;
}

/** Turns whatever ended p-retry into the error the caller should see. */
function settle(error: unknown, scope: Scope, what: string, last: { observed: string; error?: unknown }): unknown {
  const timedOut = scope.signal.aborted
    ? scope.signal.reason instanceof DeadlineReached
    : error instanceof NotYet || performance.now() >= scope.deadline;
  if (timedOut) return new TimeoutError(what, scope.budgetMs, last.observed, { cause: last.error });
  if (scope.signal.aborted) return scope.signal.reason;
  return error;
}

/** Polls `condition` until it holds; throws TimeoutError at the deadline, or the abort reason. */
export async function waitFor<T>(condition: Condition<T>, options: WaitOptions): Promise<WaitResult<T>> {
  const scope = openScope(options.within, options.signal);
  const { what } = condition;
  const elapsed = (): number => Math.round(performance.now() - scope.started);
  const last: { observed: string; error?: unknown; lookEnd: number } = { observed: NOTHING_SEEN, lookEnd: scope.started };
  const look = async (n: number): Promise<Observation<T>> => {
    try {
      if (n === 1 && options.immediate === false) await delay(options.interval ?? DEFAULT_INTERVAL_MS, scope.signal);
      const seen = await raceAbort((signal) => condition.check(signal), scope.signal);
      last.error = undefined;
      return seen;
    } catch (error) {
      if (scope.signal.aborted || isFatal(error)) throw new AbortError(toError(error));
      last.error = error;
      return { ok: false, observed: `error: ${toError(error).message}` };
    }
  };
  const attempt = async (n: number): Promise<WaitResult<T>> => {
    const seen = await look(n);
    const lookEnd = performance.now();
    const gapMs = Math.max(1, Math.round(lookEnd - last.lookEnd));
    last.lookEnd = lookEnd;
    if (seen.ok) return { ...seen, elapsedMs: elapsed(), gapMs };
    last.observed = seen.observed;
    options.onAttempt?.(n, seen.observed, elapsed());
    options.listener?.attempt(what, n, seen.observed, elapsed());
    throw new NotYet(seen.observed);
  };
  try {
    const held = await pRetry(attempt, schedule(scope, options));
    options.listener?.done(what, true, held.observed, held.elapsedMs);
    return held;
  } catch (error) {
    const settled = settle(error, scope, what, last);
    options.listener?.done(what, false, lastSeen(settled), elapsed());
    throw settled;
  } finally {
    scope.close();
  }
}

/** Repeats `operation` while it throws, up to `attempts` or the deadline; rethrows its last error when attempts run out. */
export async function retry<T>(operation: (signal: AbortSignal, attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const scope = openScope(options.within, options.signal);
  const { what } = options;
  const elapsed = (): number => Math.round(performance.now() - scope.started);
  const last: { observed: string; error?: unknown } = { observed: NOTHING_SEEN };
  const attempt = async (n: number): Promise<{ value: T; attempt: number }> => {
    try {
      return { value: await raceAbort((signal) => operation(signal, n), scope.signal), attempt: n };
    } catch (error) {
      if (scope.signal.aborted || isFatal(error) || options.retryIf?.(error) === false) throw new AbortError(toError(error));
      last.observed = toError(error).message;
      last.error = error;
      options.onAttempt?.(n, last.observed, elapsed());
      options.listener?.attempt(what, n, last.observed, elapsed());
      throw error;
    }
  };
  try {
    const done = await pRetry(attempt, schedule(scope, options, options.attempts));
    options.listener?.done(what, true, `succeeded at attempt ${done.attempt}`, elapsed());
    return done.value;
  } catch (error) {
    const settled = settle(error, scope, what, last);
    options.listener?.done(what, false, lastSeen(settled), elapsed());
    throw settled;
  } finally {
    scope.close();
  }
}

/** Runs `work` with a signal that aborts at the deadline; throws TimeoutError if it is still running then. */
export async function withDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>,
  options: { within: number; signal?: AbortSignal; what: string },
): Promise<T> {
  const scope = openScope(options.within, options.signal);
  try {
    return await raceAbort(work, scope.signal);
  } catch (error) {
    if (!scope.signal.aborted) throw error;
    throw settle(error, scope, options.what, { observed: 'still running', error });
  } finally {
    scope.close();
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

/**
 * Looks every `every` ms until `signal` aborts (or `within` runs out) and hands every look, answered or failed,
 * to `onLook`: an observer that sees each change as it happens, where `waitFor` waits for one state.
 */
export async function poll<T>(
  look: (signal: AbortSignal) => Promise<T>,
  onLook: (seen: Look<T>) => void,
  options: PollOptions,
): Promise<void> {
  const scope = openScope(options.within ?? Infinity, options.signal);
  let previous = scope.started;
  try {
    while (!scope.signal.aborted) {
      const seen = await withDeadline(look, { within: options.lookWithin, signal: scope.signal, what: options.what }).then(
        (value): Pick<Look<T>, 'value' | 'error'> => ({ value }),
        (error: unknown): Pick<Look<T>, 'value' | 'error'> => ({ error: toError(error) }),
      );
      if (scope.signal.aborted) return;
      const mono = performance.now();
      onLook({ ...seen, mono, wall: new Date().toISOString(), gapMs: Math.max(1, Math.round(mono - previous)) });
      previous = mono;
      await delay(options.every, scope.signal).catch(() => undefined);
    }
  } finally {
    scope.close();
  }
}

/** A fixed pause (chaos holds); rejects with the abort reason and clears its timer when `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(toError(signal.reason));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(toError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Parses `5m`, `90s`, `1m30s`, `250ms`, `2h`, `1.5s` into ms; throws ConfigError naming the value. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (trimmed === '' || parts.map((part) => part[0]).join('') !== trimmed) {
    throw new ConfigError(`"${text}" is not a duration`, 'Write a number with a unit, e.g. 250ms, 90s, 5m, 1m30s or 2h.');
  }
  return Math.round(parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * (UNIT_MS[unit ?? ''] ?? NaN), 0));
}

/** Formats ms for people: `850ms`, `1.5s`, `45s`, `1m30s`, `3m`, `2h5m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const rounded = Math.max(0, Math.round(ms));
  if (rounded < 1_000) return `${rounded}ms`;
  if (rounded < 60_000 && Math.round(rounded / 100) < 600) return `${Math.round(rounded / 100) / 10}s`;
  const total = Math.round(rounded / 1_000);
  const [h, m, s] = [Math.floor(total / 3_600), Math.floor((total % 3_600) / 60), total % 60];
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
