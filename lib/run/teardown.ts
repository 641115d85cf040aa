// The run's cleanup stack: actions are deferred before their resource exists and run once, last-in first-out,
// each under its own deadline; a failing action is recorded and the rest still run.
import { HarnessError, toError } from '../errors.ts';
import { withDeadline } from '../wait.ts';

/** How one teardown action ended. */
export interface TeardownResult {
  /** The action's title, as deferred. */
  title: string;
  /** `passed` also when the resource was already gone. */
  status: 'passed' | 'failed';
  /** How long the action ran. */
  ms: number;
  /** Why it failed. */
  error?: Error;
}

/** Options of a `Teardown`. */
export interface TeardownOptions {
  /** Called after each action (the run emits `teardown` events from it). */
  onResult?: (result: TeardownResult) => void;
  /** Budget of an action that names none (default 2 minutes). */
  defaultTimeoutMs?: number;
}

/** A cleanup action; it should stop when its signal aborts. */
export type TeardownAction = (signal: AbortSignal) => Promise<void>;

interface Entry {
  title: string;
  action: TeardownAction;
  timeoutMs: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** Whether an error means the thing to remove is already gone, which for cleanup is success. */
export function isAlreadyGone(error: unknown): boolean {
  if (typeof error === 'object' && error !== null && 'code' in error && error.code === 404) return true;
  // "kubectl was not found on PATH" is a missing tool, not a missing resource.
  if (error instanceof HarnessError && /not found on PATH/.test(error.message)) return false;
  return error instanceof HarnessError && /not ?found/i.test(error.message);
}

/** LIFO cleanup that runs at most once; also usable with `await using`. */
export class Teardown implements AsyncDisposable {
  readonly #entries: Entry[] = [];
  readonly #options: TeardownOptions;
  #run: Promise<TeardownResult[]> | undefined;

  constructor(options: TeardownOptions = {}) {
    this.#options = options;
  }

  /** Number of actions deferred so far. */
  get size(): number {
    return this.#entries.length;
  }

  /** Registers an action; call it before creating the resource, so a half-made resource is removed too. */
  defer(title: string, action: TeardownAction, options: { timeoutMs?: number } = {}): void {
    if (this.#run) throw new Error(`Cannot defer "${title}": teardown has already started`);
    this.#entries.push({ title, action, timeoutMs: options.timeoutMs ?? this.#options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS });
  }

  /** Runs every action, newest first; later calls return the same results. Never throws. */
  run(signal?: AbortSignal): Promise<TeardownResult[]> {
    this.#run ??= this.#runAll(signal);
    return this.#run;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.run();
  }

  async #runAll(signal: AbortSignal | undefined): Promise<TeardownResult[]> {
    const results: TeardownResult[] = [];
    for (const entry of [...this.#entries].reverse()) {
      const result = await runEntry(entry, signal);
      results.push(result);
      // A broken event sink must not stop the cleanup.
      try {
        this.#options.onResult?.(result);
      } catch {
        /* ignored on purpose */
      }
    }
    return results;
  }
}

async function runEntry(entry: Entry, signal: AbortSignal | undefined): Promise<TeardownResult> {
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);
  if (signal?.aborted) {
    const error = new HarnessError('interrupted', `Skipped "${entry.title}": teardown was interrupted`, undefined, {
      cause: signal.reason,
    });
    return { title: entry.title, status: 'failed', ms: 0, error };
  }
  try {
    await withDeadline(entry.action, { within: entry.timeoutMs, signal, what: entry.title });
    return { title: entry.title, status: 'passed', ms: ms() };
  } catch (error) {
    if (isAlreadyGone(error)) return { title: entry.title, status: 'passed', ms: ms() };
    return { title: entry.title, status: 'failed', ms: ms(), error: toError(error) };
  }
}
