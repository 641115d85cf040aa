// The run as a list of tasks, after Playwright's taskRunner: each task's teardown is queued on the shared
// Teardown *before* its setup runs, so a setup that fails halfway is still undone, last in first out.
import { HarnessError, toError } from '../errors.ts';
import { formatDuration, raceAbort } from '../wait.ts';
import type { Teardown } from './teardown.ts';

/** One step of the run with what undoes it. */
export interface Task<C> {
  /** Phase name as recorded in events and named in budgets (`validate`, `provision`, `deploy`, `suites`). */
  readonly phase: string;
  /** What the task does, as the user reads it ("Provisioning the kind cluster"). */
  readonly title: string;
  /** Budget of the setup, ms; past it the setup's signal aborts and the task fails with a timeout. */
  readonly timeoutMs?: number;
  /** What the teardown does, as the user reads it ("Removing the kind cluster"); default: `Undoing: <title>`. */
  readonly teardownTitle?: string;
  /** Budget of the teardown, ms (passed to the Teardown entry). */
  readonly teardownTimeoutMs?: number;
  /** Does the work; long operations take the signal. */
  readonly setup: (ctx: C, signal: AbortSignal) => Promise<void>;
  /** Undoes the work, also after a setup that failed halfway; queued before the setup starts. */
  readonly teardown?: (ctx: C, signal: AbortSignal) => Promise<void>;
}

/** How the setups went: `interrupted` when the run signal aborted, `failed` when a setup threw. */
export type PipelineStatus = 'passed' | 'failed' | 'interrupted';

/** The outcome of one task's setup. */
export interface TaskOutcome {
  /** Whether the setup finished, threw, or stopped because the run was interrupted. */
  readonly status: PipelineStatus;
  /** Wall-clock duration of the setup, ms. */
  readonly ms: number;
  /** What the setup threw. */
  readonly error?: Error;
}

/** The outcome of the setups: the first task that did not pass stops the pipeline. */
export interface PipelineResult {
  /** Status of the whole pipeline. */
  readonly status: PipelineStatus;
  /** Phase of the task that failed or was interrupted. */
  readonly phase?: string;
  /** What that task threw. */
  readonly error?: Error;
}

/** Observers of the pipeline and the step between setups and teardown. */
export interface PipelineOptions<C> {
  /** Queue the teardowns go on; the pipeline runs it at the end. */
  readonly teardown: Teardown;
  /** Run signal (Ctrl-C): checked between tasks and passed to each setup. */
  readonly signal: AbortSignal;
  /** Called before a setup starts. */
  onBegin?(task: Task<C>): void;
  /** Called after a setup ended. */
  onEnd?(task: Task<C>, outcome: TaskOutcome): void;
  /** Runs after the setups and before any teardown (evidence is collected here, while everything still exists). */
  beforeTeardown?(result: PipelineResult): Promise<void>;
}

/** Runs the setups in order, then `beforeTeardown`, then every queued teardown (LIFO). */
export async function runPipeline<C>(tasks: readonly Task<C>[], ctx: C, options: PipelineOptions<C>): Promise<PipelineResult> {
  const result = await runSetups(tasks, ctx, options);
  try {
    await options.beforeTeardown?.(result);
  } finally {
    // Teardown gets no run signal: after Ctrl-C it must still undo what was made (each entry has its own budget).
    await options.teardown.run();
  }
  return result;
}

async function runSetups<C>(tasks: readonly Task<C>[], ctx: C, options: PipelineOptions<C>): Promise<PipelineResult> {
  for (const task of tasks) {
    if (options.signal.aborted) return { status: 'interrupted', phase: task.phase };
    const teardown = task.teardown;
    if (teardown) {
      const title = task.teardownTitle ?? `Undoing: ${task.title}`;
      options.teardown.defer(title, (signal) => teardown(ctx, signal), { timeoutMs: task.teardownTimeoutMs });
    }
    options.onBegin?.(task);
    const outcome = await runSetup(task, ctx, options.signal);
    options.onEnd?.(task, outcome);
    if (outcome.status !== 'passed') return { status: outcome.status, phase: task.phase, error: outcome.error };
  }
  return { status: 'passed' };
}

async function runSetup<C>(task: Task<C>, ctx: C, runSignal: AbortSignal): Promise<TaskOutcome> {
  const started = Date.now();
  const budget = task.timeoutMs === undefined ? undefined : AbortSignal.timeout(task.timeoutMs);
  const signal = budget ? AbortSignal.any([runSignal, budget]) : runSignal;
  try {
    // A setup that ignores its signal cannot hang the run: the race rejects as soon as the signal aborts.
    await raceAbort((setupSignal) => task.setup(ctx, setupSignal), signal);
    return { status: 'passed', ms: Date.now() - started };
  } catch (thrown) {
    const ms = Date.now() - started;
    if (runSignal.aborted) return { status: 'interrupted', ms, error: interrupted(task) };
    if (budget?.aborted) return { status: 'failed', ms, error: overBudget(task, thrown) };
    return { status: 'failed', ms, error: toError(thrown) };
  }
}

function interrupted<C>(task: Task<C>): HarnessError {
  return new HarnessError('interrupted', `Interrupted while ${lowerFirst(task.title)}.`);
}

function overBudget<C>(task: Task<C>, cause: unknown): HarnessError {
  const budget = formatDuration(task.timeoutMs ?? 0);
  return new HarnessError(
    'timeout',
    `${task.title} did not finish within ${budget}.`,
    `Raise timeouts.${task.phase} in the config file if this environment is slow.`,
    { cause },
  );
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
