// Ctrl-C and SIGTERM: the first one aborts the invocation's AbortController so teardown runs; a
// second Ctrl-C forces the process out with 130.
import { ExitCode, HarnessError } from '../errors.ts';

/** What signals are received from (the process; tests pass an EventEmitter). */
export interface SignalSource {
  /** Adds a listener. */
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  /** Removes a listener. */
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/** Options of `watchInterrupts`; every member has a default. */
export interface InterruptOptions {
  /** Signal source; default `process`. */
  source?: SignalSource;
  /** Prints one line for the user; default stderr. */
  write?: (line: string) => void;
  /** Leaves at once on a second Ctrl-C; default `process.exit`. */
  forceExit?: (code: number) => void;
  /** Monotonic clock in ms; default `performance.now`. */
  now?: () => number;
}

/** The interrupt handling of one invocation. */
export interface Interrupts {
  /** Aborted (with a HarnessError of kind 'interrupted' as reason) on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** Stops listening. */
  dispose(): void;
}

/**
 * Under `npm run`/`npx` one press can arrive twice within milliseconds: the child gets it from the
 * terminal and npm forwards its own copy. Only a press this long after the first counts as a
 * second one (the same guard as Playwright's sigIntWatcher).
 */
export const SECOND_PRESS_AFTER_MS = 1000;

/** Starts listening for SIGINT and SIGTERM. */
export function watchInterrupts(options: InterruptOptions = {}): Interrupts {
  const source = options.source ?? process;
  const write = options.write ?? ((line: string) => void process.stderr.write(`${line}\n`));
  // The one place lib/ may leave the process: the user insisted, teardown is given up on purpose.
  const forceExit = options.forceExit ?? ((code: number) => process.exit(code));
  const now = options.now ?? (() => performance.now());
  const controller = new AbortController();
  let firstAt: number | undefined;

  const onInt = (): void => {
    if (firstAt === undefined) {
      firstAt = now();
      write('Interrupted: tearing down (press Ctrl-C again to force)');
      controller.abort(new HarnessError('interrupted', 'Interrupted by Ctrl-C.'));
    } else if (now() - firstAt >= SECOND_PRESS_AFTER_MS) {
      write('Forced exit: the cluster and its resources may be left behind.');
      forceExit(ExitCode.interrupted);
    }
  };
  const onTerm = (): void => {
    if (controller.signal.aborted) return;
    firstAt = now();
    write('Terminated: tearing down');
    controller.abort(new HarnessError('interrupted', 'Terminated by SIGTERM.'));
  };
  source.on('SIGINT', onInt);
  source.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    dispose() {
      source.off('SIGINT', onInt);
      source.off('SIGTERM', onTerm);
    },
  };
}
