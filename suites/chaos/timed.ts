// When a polled condition was last seen false and first seen true, so a measured "kill to X" time can
// carry its real precision: the gap between those two looks (it grows with the wait's backoff).
import type { Condition } from '../../lib/wait.ts';

/** The two looks that bracket the moment a condition came true (monotonic ms, taken when each look returned). */
export interface Looks {
  /** Last look that found the condition false. */
  lastMissAt?: number;
  /** First look that found it true. */
  firstHitAt?: number;
}

/** `condition`, recording its looks in `looks`. */
export function timed<T>(condition: Condition<T>, looks: Looks, now: () => number = () => performance.now()): Condition<T> {
  return {
    what: condition.what,
    check: async (signal) => {
      const seen = await condition.check(signal);
      if (seen.ok) looks.firstHitAt ??= now();
      else looks.lastMissAt = now();
      return seen;
    },
  };
}

/** Time from `since` to the first true look, and its precision (the gap since the last false look, or since `since`). */
export function measured(looks: Looks, since: number, fallbackNow: number): { ms: number; precisionMs: number } {
  const hit = looks.firstHitAt ?? fallbackNow;
  return { ms: Math.round(hit - since), precisionMs: Math.max(1, Math.round(hit - Math.max(since, looks.lastMissAt ?? since))) };
}
