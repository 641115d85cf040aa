// Waiting and retrying, written once: absolute deadlines carried down through AbortSignals, p-retry for the
// schedule, and one TimeoutError that names what was awaited, the budget and the last thing seen.
import pRetry, { AbortError, type Options as RetrySchedule } from 'p-retry';
import { HarnessError, toError } from './errors.ts';
import {
  ConditionFailedError,
  TimeoutError,
  type Condition,
  type Look,
  type Observation,
  type PollOptions,
  type RetryOptions,
  type WaitOptions,
  type WaitResult,
} from './wait-types.ts';
import { DeadlineReached, openScope, type Scope } from './wait-scope.ts';

export { formatDuration, parseDuration } from './duration.ts';
export * from './wait-types.ts';

const NOTHING_SEEN = 'nothing yet (no check finished)';
const MAX_PAUSE_MS = 5_000;
const DEFAULT_INTERVAL_MS = 500;

/** A check that did not hold yet: p-retry tries again. */
class NotYet extends Error {}

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
