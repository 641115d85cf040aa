// Ctrl-C, SIGTERM and SIGHUP: the first one aborts the invocation's AbortController so teardown runs and
// the run exits 128 + the signal's number; a second signal, or a teardown that outlasts its bound, forces
// the process out. CI systems cancel with SIGTERM (then SIGKILL), so it is handled exactly like Ctrl-C.
import { InterruptedError, type StopSignal } from '../errors.ts';
import { formatDuration } from '../wait.ts';

/** What signals are received from (the process; tests pass an EventEmitter). */
export interface SignalSource {
  /** Adds a listener. */
  on(event: StopSignal, listener: () => void): unknown;
  /** Removes a listener. */
  off(event: StopSignal, listener: () => void): unknown;
}

/** Options of `watchInterrupts`; every member has a default. */
export interface InterruptOptions {
  /** Signal source; default `process`. */
  source?: SignalSource;
  /** Prints one line for the user; default stderr. */
  write?: (line: string) => void;
  /** Leaves at once (second signal, teardown over its bound); default `process.exit`. */
  forceExit?: (code: number) => void;
  /** Monotonic clock in ms; default `performance.now`. */
  now?: () => number;
  /** How long teardown may take after the first signal before the process is forced out; default 5 minutes. */
  teardownBoundMs?: number;
  /** Starts the teardown bound's timer; default an unref'd `setTimeout`, so it never keeps the process alive. */
  startTimer?: (ms: number, fire: () => void) => () => void;
}

/** The interrupt handling of one invocation. */
export interface Interrupts {
  /** Aborted (with an InterruptedError as reason) on the first SIGINT, SIGTERM or SIGHUP. */
  readonly signal: AbortSignal;
  /** Stops listening and cancels the teardown bound. */
  dispose(): void;
}

/**
 * Under `npm run`/`npx` one Ctrl-C can arrive twice within milliseconds: the child gets it from the
 * terminal and npm forwards its own copy. Only a press this long after the first counts as a
 * second one (the same guard as Playwright's sigIntWatcher).
 */
export const SECOND_PRESS_AFTER_MS = 1000;

const SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const DEFAULT_TEARDOWN_BOUND_MS = 5 * 60_000;

const FIRST_LINE: Record<StopSignal, string> = {
  SIGINT: 'Interrupted: tearing down (press Ctrl-C again to force)',
  SIGTERM: 'Terminated (SIGTERM): tearing down (a second signal forces exit)',
  SIGHUP: 'Hung up (SIGHUP): tearing down (a second signal forces exit)',
};

const REASON: Record<StopSignal, string> = {
  SIGINT: 'Interrupted by Ctrl-C.',
  SIGTERM: 'Terminated by SIGTERM.',
  SIGHUP: 'Stopped by SIGHUP.',
};

/** Starts listening for SIGINT, SIGTERM and SIGHUP. */
export function watchInterrupts(options: InterruptOptions = {}): Interrupts {
  const source = options.source ?? process;
  const write = options.write ?? ((line: string) => void process.stderr.write(`${line}\n`));
  // The one place lib/ may leave the process: the user insisted, or teardown overran its bound.
  const forceExit = options.forceExit ?? ((code: number) => process.exit(code));
  const now = options.now ?? (() => performance.now());
  const bound = options.teardownBoundMs ?? DEFAULT_TEARDOWN_BOUND_MS;
  const startTimer = options.startTimer ?? unrefTimer;
  const controller = new AbortController();
  let first: { name: StopSignal; at: number } | undefined;
  let cancelBound: (() => void) | undefined;

  const onSignal = (name: StopSignal): void => {
    if (first === undefined) {
      first = { name, at: now() };
      write(FIRST_LINE[name]);
      const reason = new InterruptedError(name, REASON[name]);
      cancelBound = startTimer(bound, () => {
        write(`Forced exit: teardown did not finish within ${formatDuration(bound)}; the cluster and its resources may be left behind.`);
        forceExit(reason.exitCode);
      });
      controller.abort(reason);
      return;
    }
    if (name === 'SIGINT' && first.name === 'SIGINT' && now() - first.at < SECOND_PRESS_AFTER_MS) return;
    write('Forced exit: the cluster and its resources may be left behind.');
    forceExit(new InterruptedError(name, REASON[name]).exitCode);
  };
  const listeners = SIGNALS.map((name) => [name, () => onSignal(name)] as const);
  for (const [name, listener] of listeners) source.on(name, listener);
  return {
    signal: controller.signal,
    dispose() {
      for (const [name, listener] of listeners) source.off(name, listener);
      cancelBound?.();
    },
  };
}

// Not a wait: a watchdog nothing awaits; it only forces the process out when teardown overruns its bound.
function unrefTimer(ms: number, fire: () => void): () => void {
  const timer = setTimeout(fire, ms);
  timer.unref();
  return () => clearTimeout(timer);
}
