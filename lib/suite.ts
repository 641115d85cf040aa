// The harness facade: the one import a suite needs besides chai. It hands a suite the cluster, the stack,
// named steps, bounded waits and the ways to record metrics, trials, evidence and skip reasons.
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type Mocha from 'mocha';
import type { Cluster } from './cluster/types.ts';
import type { RunConfig } from './config/types.ts';
import type { Kube } from './k8s/client.ts';
import { toEventError, type CurrentCheck } from './report/mocha-reporter.ts';
import type { RunEventBody } from './report/events.ts';
import type { Teardown } from './run/teardown.ts';
import type { Stack } from './stack/types.ts';
import { parseDuration, retry, waitFor, type Condition, type Observation, type WaitListener } from './wait.ts';

export { allPodsReady, deploymentReady, httpAnswers, jobComplete, nodesReady, podsReady } from './k8s/conditions.ts';
export { recentWarnings, stackWorkloads, workloadName, workloadsReady } from './workloads.ts';
export type { Condition, Observation, WaitListener } from './wait.ts';

/** The part of the run configuration a suite may read. */
export type SuiteConfig = Readonly<Pick<RunConfig, 'trials' | 'sloMs' | 'floorMs' | 'timeouts' | 'target'>>;

/** A recovery trial as a suite records it (see the `trial` event). */
export type TrialRecord = Omit<Extract<RunEventBody, { kind: 'trial' }>, 'kind'>;

/** A budget: ms, or a duration such as `3m` or `90s`. */
export type Budget = number | string;

/** What the run hands the suites; registered by the mocha runner for the length of one run. */
export interface HarnessContext {
  /** The cluster under test. */
  readonly cluster: Cluster;
  /** The deployed stack. */
  readonly stack: Stack;
  /** The Kubernetes API of that cluster. */
  readonly kube: Kube;
  /** Budgets and recovery settings. */
  readonly config: SuiteConfig;
  /** The run's event bus. */
  readonly bus: { emit(body: RunEventBody): unknown };
  /** The run signal (Ctrl-C); every wait and long operation of a suite takes it. */
  readonly signal: AbortSignal;
  /** The run directory; evidence goes below `<runDir>/artifacts/`. */
  readonly runDir: string;
}

/** What changes while the suites run; kept by the mocha runner and its reporter. */
export interface HarnessState {
  /** The check running now (set by the reporter). */
  current?: CurrentCheck;
  /** Reasons given to `h.skip`, by test or hook. */
  readonly skipReasons: WeakMap<Mocha.Runnable, string>;
  /** Teardowns deferred by the running check; run after each check. */
  checkTeardown: Teardown;
  /** Last step id handed out. */
  stepId: number;
}

/** What `harness(this)` gives a suite. */
export interface Harness {
  /** The cluster under test (capabilities such as `nodes` are optional: check before use). */
  readonly cluster: Cluster;
  /** The deployed stack. */
  readonly stack: Stack;
  /** The Kubernetes API, for the named conditions (never for raw calls in a suite). */
  readonly kube: Kube;
  /** Budgets and recovery settings, read-only. */
  readonly config: SuiteConfig;
  /** The run signal, for operations that take `{ signal }`. */
  readonly signal: AbortSignal;
  /** Runs a named step (a fact to check, "3 replicas ready"); records its begin, end and error. */
  step<T>(title: string, fn: () => Promise<T> | T): Promise<T>;
  /** Records a finding of the running check that needs no action ("pod a serves 3 sessions"); shown as a passed step. */
  note(text: string): void;
  /** Polls a named condition until it holds, within a budget; records attempts and the outcome. */
  waitFor<T>(condition: Condition<T>, options: { within: Budget; interval?: number }): Promise<Observation<T> & { elapsedMs: number }>;
  /** Repeats an action that may fail, within a budget; recorded like a wait. */
  retry<T>(
    operation: (signal: AbortSignal, attempt: number) => Promise<T>,
    options: { within: Budget; attempts?: number; what: string },
  ): Promise<T>;
  /** Records waits that lib code makes for the running check as `h.waitFor` records its own: hand it on as `listener`. */
  readonly waits: WaitListener;
  /** Records a measurement of the running check. */
  metric(name: string, value: number, unit: string, precisionMs?: number): void;
  /** Records one timed recovery trial. */
  trial(trial: TrialRecord): void;
  /** Records a file as evidence of the running check (a path below the run directory, or absolute). */
  artifact(path: string, contentType: string, title: string): void;
  /** Where to write an evidence file of the running suite (the folder is created). */
  artifactPath(name: string): string;
  /** Writes an evidence file of the running check and records it: text as is (text/plain), anything else as JSON. */
  saveArtifact(name: string, content: unknown, title: string): void;
  /** Undo actions of the running check, run after it (last in, first out) whether it passed or not. */
  readonly teardown: Pick<Teardown, 'defer'>;
  /** Skips the running check (or, in a before-all hook, its suite) and records why. */
  skip(reason: string): never;
}

interface Registered {
  readonly context: HarnessContext;
  readonly state: HarnessState;
}

// On globalThis rather than in a module variable: should a spec ever be loaded through require() (mocha's own
// loader does that), it would get its own copy of this module, separate from the one the runner imported.
const REGISTRY = Symbol.for('mip-verify.harness');
const registry = globalThis as { [REGISTRY]?: Registered };

/** Makes the run available to `harness()` (the runner calls this before loading the specs, and clears it after). */
export function setHarnessContext(context: HarnessContext | undefined, state?: HarnessState): void {
  if (context === undefined || state === undefined) delete registry[REGISTRY];
  else registry[REGISTRY] = { context, state };
}

function active(): Registered {
  const found = registry[REGISTRY];
  if (!found) throw new Error('harness() is only available while mip-verify runs the suites (no run is active).');
  return found;
}

/** The harness of a suite: call it as `const h = harness(this)` inside `describe(..., function () {...})`. */
export function harness(mochaContext: Mocha.Suite | Mocha.Context): Harness {
  return {
    get cluster() {
      return active().context.cluster;
    },
    get stack() {
      return active().context.stack;
    },
    get kube() {
      return active().context.kube;
    },
    get config() {
      return active().context.config;
    },
    get signal() {
      return active().context.signal;
    },
    step: (title, fn) => step(active(), title, fn),
    note: (text) => note(active(), text),
    waitFor: (condition, options) => waitWithEvents(active(), condition, options),
    retry: (operation, options) => retryWithEvents(active(), operation, options),
    get waits() {
      return waitEvents(active());
    },
    metric: (name, value, unit, precisionMs) => emitHere(active(), { kind: 'metric', name, value, unit, precisionMs }),
    trial: (trial) => void active().context.bus.emit({ kind: 'trial', ...trial }),
    artifact: (path, contentType, title) => emitHere(active(), { kind: 'artifact', path: runRelative(active(), path), contentType, title }),
    artifactPath: (name) => artifactPath(active(), name),
    saveArtifact: (name, content, title) => saveArtifact(active(), name, content, title),
    teardown: { defer: (title, fn, options) => active().state.checkTeardown.defer(title, fn, options) },
    skip: (reason) => skip(active(), mochaContext, reason),
  };
}

async function step<T>(r: Registered, title: string, fn: () => Promise<T> | T): Promise<T> {
  const where = here(r);
  const id = (r.state.stepId += 1);
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);
  r.context.bus.emit({ kind: 'step.begin', ...where, id, title });
  try {
    const value = await fn();
    r.context.bus.emit({ kind: 'step.end', ...where, id, title, status: 'passed', ms: ms() });
    return value;
  } catch (error) {
    // A skip thrown from inside a step (h.skip) leaves the runnable pending: the step did not fail.
    const skipped = r.state.current?.runnable.isPending() === true;
    const end: RunEventBody = { kind: 'step.end', ...where, id, title, status: skipped ? 'skipped' : 'failed', ms: ms() };
    if (!skipped) end.error = toEventError(error);
    r.context.bus.emit(end);
    throw error;
  }
}

function note(r: Registered, title: string): void {
  const where = here(r);
  const id = (r.state.stepId += 1);
  r.context.bus.emit({ kind: 'step.begin', ...where, id, title });
  r.context.bus.emit({ kind: 'step.end', ...where, id, title, status: 'passed', ms: 0 });
}

/** A wait's misses and outcome as `wait.attempt` and `wait.done` events: the report lists the running check's waits from them. */
function waitEvents(r: Registered): WaitListener {
  const { bus } = r.context;
  return {
    attempt: (what, attempt, observed, elapsedMs) => bus.emit({ kind: 'wait.attempt', what, attempt, observed, elapsedMs }),
    done: (what, ok, observed, elapsedMs) => bus.emit({ kind: 'wait.done', what, ok, observed, elapsedMs }),
  };
}

async function waitWithEvents<T>(
  r: Registered,
  condition: Condition<T>,
  options: { within: Budget; interval?: number },
): Promise<Observation<T> & { elapsedMs: number }> {
  return waitFor(condition, {
    within: budget(options.within),
    signal: r.context.signal,
    interval: options.interval,
    listener: waitEvents(r),
  });
}

async function retryWithEvents<T>(
  r: Registered,
  operation: (signal: AbortSignal, attempt: number) => Promise<T>,
  options: { within: Budget; attempts?: number; what: string },
): Promise<T> {
  return retry(operation, {
    within: budget(options.within),
    attempts: options.attempts,
    what: options.what,
    signal: r.context.signal,
    listener: waitEvents(r),
  });
}

function skip(r: Registered, mochaContext: Mocha.Suite | Mocha.Context, reason: string): never {
  const runnable = r.state.current?.runnable ?? contextRunnable(mochaContext);
  if (!runnable) throw new Error(`h.skip("${reason}") was called outside a check or hook.`);
  r.state.skipReasons.set(runnable, reason);
  return runnable.skip();
}

function contextRunnable(mochaContext: Mocha.Suite | Mocha.Context): Mocha.Runnable | undefined {
  return 'runnable' in mochaContext && typeof mochaContext.runnable === 'function' ? mochaContext.runnable() : undefined;
}

function here(r: Registered): { suite: string; test: string } {
  const current = r.state.current;
  return { suite: current?.suite ?? 'run', test: current?.test ?? '(outside a check)' };
}

function emitHere(r: Registered, body: Extract<RunEventBody, { kind: 'metric' | 'artifact' }>): void {
  const current = r.state.current;
  r.context.bus.emit(current ? { ...body, suite: current.suite, test: current.test } : body);
}

function runRelative(r: Registered, path: string): string {
  if (!isAbsolute(path)) return path;
  const inside = relative(r.context.runDir, path);
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

function artifactPath(r: Registered, name: string): string {
  const dir = join(r.context.runDir, 'artifacts', r.state.current?.suite ?? 'run');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

function saveArtifact(r: Registered, name: string, content: unknown, title: string): void {
  const file = artifactPath(r, name);
  const text = typeof content === 'string';
  writeFileSync(file, text ? content : `${JSON.stringify(content, null, 2)}\n`);
  emitHere(r, { kind: 'artifact', path: runRelative(r, file), contentType: text ? 'text/plain' : 'application/json', title });
}

function budget(within: Budget): number {
  return typeof within === 'number' ? within : parseDuration(within);
}
