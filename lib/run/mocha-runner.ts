// Runs the selected suites with mocha, programmatically: one fresh Mocha per run, the spec files of each
// suite folder in order, the harness registered for the specs, runner events turned into run events.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { config as chaiConfig } from 'chai';
import Mocha from 'mocha';
import type { Timeouts } from '../config/types.ts';
import { projectRoot } from '../paths.ts';
import { MochaEventReporter, toEventError, type MochaEventReporterOptions } from '../report/mocha-reporter.ts';
import { setHarnessContext, type HarnessContext, type HarnessState } from '../suite.ts';
import { Teardown } from './teardown.ts';

/** What one mocha run needs. */
export interface SuiteRunOptions {
  /** Suite folders to run, in order (suite names). */
  readonly suites: readonly string[];
  /** The run as the specs see it through `harness()`; its bus receives the events and its signal aborts the run. */
  readonly context: HarnessContext;
  /** Folder holding one folder per suite (default: the project's `suites/`). */
  readonly suitesDir?: string;
  /** Mocha's own per-test timeout (default: above the sum of the harness budgets). */
  readonly timeoutMs?: number;
}

/** How the mocha run ended. */
export interface SuiteRunResult {
  /** Failed tests and hooks, as mocha counts them. */
  readonly failures: number;
  /** Spec files that were loaded. */
  readonly files: readonly string[];
}

/**
 * Mocha's timeout is only a backstop: it sits above the sum of the harness budgets, so the harness's
 * own, more telling timeout error always fires first.
 */
export function backstopTimeout(timeouts: Readonly<Timeouts>): number {
  const sum = Object.values(timeouts).reduce((total, ms) => total + ms, 0);
  return sum + 60_000;
}

/** The `*.spec.ts` files of each suite folder, suite by suite in the given order, sorted within a suite. */
export async function specFiles(suitesDir: string, suites: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const suite of suites) {
    const dir = join(suitesDir, suite);
    const names = await readdir(dir).catch(() => [] as string[]);
    files.push(
      ...names
        .filter((name) => name.endsWith('.spec.ts'))
        .sort()
        .map((name) => join(dir, name)),
    );
  }
  return files;
}

/** Runs the suites' spec files in one fresh Mocha instance and reports through the context's bus. */
export async function runSuites(options: SuiteRunOptions): Promise<SuiteRunResult> {
  const { context } = options;
  const files = await specFiles(options.suitesDir ?? join(projectRoot, 'suites'), options.suites);
  const state: HarnessState = { skipReasons: new WeakMap(), checkTeardown: new Teardown(), stepId: 0 };
  const reporterOptions: MochaEventReporterOptions = {
    bus: context.bus,
    onCurrent: (current) => (state.current = current),
    skipReason: (runnable) => state.skipReasons.get(runnable),
  };
  const mocha = new Mocha({
    reporter: MochaEventReporter,
    reporterOptions,
    timeout: options.timeoutMs ?? backstopTimeout(context.config.timeouts),
  });
  // A failure message must name what broke: chai would otherwise cut long arrays and strings to "[ …(2) ]".
  chaiConfig.truncateThreshold = 0;
  mocha.suite.afterEach('per-check teardown', () => runCheckTeardown(context, state));
  setHarnessContext(context, state);
  try {
    await loadSpecs(mocha, files);
    const failures = await runMocha(mocha, context.signal);
    return { failures, files };
  } finally {
    setHarnessContext(undefined);
    mocha.dispose();
  }
}

let loads = 0;

/**
 * Loads spec files as `mocha.loadFilesAsync()` does (the same pre-require, require and post-require events,
 * so `describe` and `it` register on this instance), but always through `import()` with a query unique to
 * the run. Mocha's loader require()s a file when Node can, and neither `unloadFiles()` nor `dispose()` evicts
 * an ES module from Node's cache: a second run in the same process would then register no tests at all.
 */
async function loadSpecs(mocha: Mocha, files: readonly string[]): Promise<void> {
  const { EVENT_FILE_PRE_REQUIRE, EVENT_FILE_REQUIRE, EVENT_FILE_POST_REQUIRE } = Mocha.Suite.constants;
  loads += 1;
  for (const file of files) {
    mocha.suite.emit(EVENT_FILE_PRE_REQUIRE, globalThis, file, mocha);
    const url = pathToFileURL(file);
    url.searchParams.set('load', String(loads));
    const loaded: unknown = await import(url.href);
    mocha.suite.emit(EVENT_FILE_REQUIRE, loaded, file, mocha);
    mocha.suite.emit(EVENT_FILE_POST_REQUIRE, globalThis, file, mocha);
  }
}

function runMocha(mocha: Mocha, signal: AbortSignal): Promise<number> {
  return new Promise<number>((resolve) => {
    const runner = mocha.run((failures) => {
      signal.removeEventListener('abort', stop);
      resolve(failures);
    });
    // Stops after the running test; that test itself ends early because its waits take the same signal.
    function stop(): void {
      runner.abort();
    }
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}

/** Runs what the finished check deferred, records each action, and starts a fresh list for the next check. */
async function runCheckTeardown(context: HarnessContext, state: HarnessState): Promise<void> {
  const teardown = state.checkTeardown;
  state.checkTeardown = new Teardown();
  // Not the run signal: after Ctrl-C the check's resources must still be removed (each action has a budget).
  const results = await teardown.run();
  for (const { title, status, ms, error } of results) {
    const body = error ? { title, status, ms, error: toEventError(error) } : { title, status, ms };
    context.bus.emit({ kind: 'teardown', ...body });
  }
}
