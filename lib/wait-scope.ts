// The deadline of a wait, carried down through AbortSignals: a nested wait can never outlive its caller's
// budget. Internal to lib/wait.ts.
/** The abort reason of a deadline timer; tells a deadline apart from the caller's own abort. */
export class DeadlineReached extends Error {}

/** Monotonic deadline of every signal this module made, so nested waits can cap themselves. */
const deadlines = new WeakMap<AbortSignal, number>();

/** A wait's budget as a signal that aborts at its deadline (or with its parent). */
export interface Scope {
  signal: AbortSignal;
  deadline: number;
  budgetMs: number;
  started: number;
  close(): void;
}

// Equivalent to AbortSignal.any([parent, AbortSignal.timeout(remaining)]), but its timer and listener are
// removed on close: AbortSignal.timeout cannot be cleared, and AbortSignal.any keeps listeners on a
// long-lived parent alive.
export function openScope(within: number, parent: AbortSignal | undefined): Scope {
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
