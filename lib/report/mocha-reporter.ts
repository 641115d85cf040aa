// Mocha reporter that turns runner events into run events: one report suite per suite folder,
// one check per test (or per failed hook), with durations, errors and skip reasons.
import { basename, dirname } from 'node:path';
import Mocha from 'mocha';
import type { EventError, RunEventBody, Status } from './events.ts';

const { EVENT_HOOK_BEGIN, EVENT_HOOK_END, EVENT_RUN_END, EVENT_TEST_BEGIN, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } =
  Mocha.Runner.constants;

/** The check that is running, so steps and waits can be attributed to it. */
export interface CurrentCheck {
  /** Report suite (the suite folder's name). */
  readonly suite: string;
  /** Check name (the test title, or the hook title for hooks). */
  readonly test: string;
  /** The mocha test or hook, so a harness can skip it. */
  readonly runnable: Mocha.Runnable;
}

/** What the reporter needs, passed as mocha's `reporterOptions`. */
export interface MochaEventReporterOptions {
  /** Where the events go. */
  readonly bus: { emit(body: RunEventBody): unknown };
  /** Told whenever the running check changes (undefined between checks). */
  onCurrent?(current: CurrentCheck | undefined): void;
  /** The reason recorded for a skipped test or hook (`h.skip(reason)`), if any. */
  skipReason?(runnable: Mocha.Runnable): string | undefined;
}

/** Any thrown value as a serialisable event error. */
export function toEventError(thrown: unknown): EventError {
  if (thrown instanceof Error) {
    return thrown.stack === undefined
      ? { message: thrown.message, name: thrown.name }
      : { message: thrown.message, name: thrown.name, stack: thrown.stack };
  }
  return { message: String(thrown), name: 'Error' };
}

/** Mocha v12 reporter class; give it `{ bus }` through `reporterOptions`. */
export class MochaEventReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const translator = new Translator(readOptions(options));
    runner.on(EVENT_HOOK_BEGIN, (hook: Mocha.Hook) => translator.hookBegin(hook));
    runner.on(EVENT_HOOK_END, () => translator.hookEnd());
    runner.on(EVENT_TEST_BEGIN, (test: Mocha.Test) => translator.testBegin(test));
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => translator.testEnd(test, 'passed'));
    runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => translator.testEnd(test, 'skipped'));
    runner.on(EVENT_TEST_FAIL, (runnable: Mocha.Runnable, error: unknown) => translator.failed(runnable, error));
    runner.once(EVENT_RUN_END, () => translator.runEnd());
  }
}

export default MochaEventReporter;

interface OpenSuite {
  name: string;
  started: number;
  counts: Record<Status, number>;
  reason?: string;
}

class Translator {
  private suite?: OpenSuite;
  private test?: CurrentCheck;
  private hook?: CurrentCheck;
  private readonly started = new Map<Mocha.Runnable, number>();
  private readonly ended = new Set<Mocha.Runnable>();

  constructor(private readonly options: MochaEventReporterOptions) {}

  hookBegin(hook: Mocha.Hook): void {
    // Hooks of the root suite (the runner's per-check teardown) are plumbing, not checks of a suite.
    if (isRootLevel(hook)) return;
    this.hook = { suite: this.enter(hook), test: hookName(hook), runnable: hook };
    this.publish();
  }

  hookEnd(): void {
    this.hook = undefined;
    this.publish();
  }

  testBegin(test: Mocha.Test): void {
    this.begin(test, this.enter(test), checkName(test));
    this.test = { suite: this.suite?.name ?? 'run', test: checkName(test), runnable: test };
    this.publish();
  }

  testEnd(test: Mocha.Test, status: Status, error?: unknown): void {
    if (this.ended.has(test)) return;
    const suite = this.enter(test);
    if (!this.started.has(test)) this.begin(test, suite, checkName(test));
    const reason = status === 'skipped' ? this.reasonFor(test) : undefined;
    this.end(test, { suite, test: checkName(test), status, error, reason });
    if (this.test?.runnable === test) this.test = undefined;
    this.publish();
  }

  failed(runnable: Mocha.Runnable, error: unknown): void {
    if (runnable instanceof Mocha.Test) return this.testEnd(runnable, 'failed', error);
    // A failed hook is a failed check named after the hook; a test it interrupted did not run.
    const suite = this.hook?.runnable === runnable ? this.hook.suite : this.enter(runnable);
    const name = runnable instanceof Mocha.Hook ? hookName(runnable) : runnable.title;
    const interrupted = this.test?.runnable;
    if (interrupted instanceof Mocha.Test && !this.ended.has(interrupted)) {
      this.end(interrupted, {
        suite: this.test?.suite ?? suite,
        test: checkName(interrupted),
        status: 'skipped',
        reason: `not run: ${name} failed`,
      });
      this.test = undefined;
    }
    this.begin(runnable, suite, name);
    this.end(runnable, { suite, test: name, status: 'failed', error });
  }

  runEnd(): void {
    this.close();
    this.test = undefined;
    this.hook = undefined;
    this.publish();
  }

  private begin(runnable: Mocha.Runnable, suite: string, test: string): void {
    this.started.set(runnable, Date.now());
    this.options.bus.emit({ kind: 'test.begin', suite, test });
  }

  private end(
    runnable: Mocha.Runnable,
    r: { suite: string; test: string; status: Status; error?: unknown; reason?: string | undefined },
  ): void {
    this.ended.add(runnable);
    const ms = runnable.duration ?? Date.now() - (this.started.get(runnable) ?? Date.now());
    const body: RunEventBody = { kind: 'test.end', suite: r.suite, test: r.test, status: r.status, ms };
    if (r.status === 'failed') body.error = toEventError(r.error);
    if (r.reason !== undefined) body.reason = r.reason;
    this.options.bus.emit(body);
    if (this.suite) {
      this.suite.counts[r.status] += 1;
      if (r.reason !== undefined) this.suite.reason ??= r.reason;
    }
  }

  /** Opens the report suite of a runnable, closing the previous one when the suite folder changes. */
  private enter(runnable: Mocha.Runnable): string {
    const { name, title } = reportSuiteOf(runnable, this.suite?.name);
    if (this.suite?.name === name) return name;
    this.close();
    this.suite = { name, started: Date.now(), counts: { passed: 0, failed: 0, skipped: 0 } };
    this.options.bus.emit({ kind: 'suite.begin', suite: name, title });
    return name;
  }

  private close(): void {
    const open = this.suite;
    if (!open) return;
    this.suite = undefined;
    const { passed, failed, skipped } = open.counts;
    const status: Status = failed > 0 ? 'failed' : passed === 0 && skipped > 0 ? 'skipped' : 'passed';
    const body: RunEventBody = { kind: 'suite.end', suite: open.name, status, ms: Date.now() - open.started };
    if (status === 'skipped' && open.reason !== undefined) body.reason = open.reason;
    this.options.bus.emit(body);
  }

  private reasonFor(test: Mocha.Test): string | undefined {
    const own = this.options.skipReason?.(test);
    if (own !== undefined) return own;
    // `h.skip(reason)` in a before-all hook skips every test of its suite: the hook holds the reason.
    for (let suite: Mocha.Suite | undefined = test.parent; suite; suite = suite.parent) {
      for (const hook of beforeAllHooks(suite)) {
        const reason = this.options.skipReason?.(hook);
        if (reason !== undefined) return reason;
      }
    }
    return undefined;
  }

  private publish(): void {
    this.options.onCurrent?.(this.hook ?? this.test);
  }
}

function readOptions(options: Mocha.MochaOptions | undefined): MochaEventReporterOptions {
  const record = options as Record<string, unknown> | undefined;
  const raw: unknown = record?.reporterOption ?? record?.reporterOptions;
  if (typeof raw === 'object' && raw !== null && 'bus' in raw) {
    const bus: unknown = raw.bus;
    if (typeof bus === 'object' && bus !== null && 'emit' in bus && typeof bus.emit === 'function') {
      return raw as MochaEventReporterOptions;
    }
  }
  throw new Error('MochaEventReporter needs reporterOptions.bus (an event bus with emit).');
}

/** The report suite of a runnable: the folder of its top-level describe's file, else that describe's title. */
function reportSuiteOf(runnable: Mocha.Runnable, fallback: string | undefined): { name: string; title: string } {
  let top: Mocha.Suite | undefined = runnable.parent;
  while (top?.parent && !top.parent.root) top = top.parent;
  if (!top || top.root) {
    const name = folderOf(runnable.file) ?? fallback ?? 'run';
    return { name, title: name };
  }
  return { name: folderOf(top.file) ?? top.title, title: top.title };
}

function folderOf(file: string | undefined): string | undefined {
  return file === undefined ? undefined : basename(dirname(file));
}

/** The check name: titles below the top-level describe, so nested describes stay distinguishable. */
function checkName(test: Mocha.Test): string {
  const path = test.titlePath();
  return path.length > 1 ? path.slice(1).join(' › ') : test.title;
}

/** The hook's title; mocha appends the first test's title to all-hooks too, which would misname them. */
function hookName(hook: Mocha.Hook): string {
  const original = hook.originalTitle ?? hook.title;
  return /^"(before|after) all" hook/.test(original) ? original : hook.title;
}

function isRootLevel(runnable: Mocha.Runnable): boolean {
  return runnable.parent?.root === true;
}

function beforeAllHooks(suite: Mocha.Suite): Mocha.Hook[] {
  // `_beforeAll` is mocha's own list (typed in @types/mocha as protected API).
  const hooks: unknown = (suite as unknown as { _beforeAll?: unknown })._beforeAll;
  return Array.isArray(hooks) ? hooks.filter((hook): hook is Mocha.Hook => hook instanceof Mocha.Hook) : [];
}
