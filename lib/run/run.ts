// One `mip-verify run`, from run directory to reports: the task pipeline (validate, provision, deploy,
// suites), evidence on failure before teardown, the keep policy, run.end and the exit code.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunConfig } from '../config/types.ts';
import { ExitCode, exitCodeFor, formatKnownError, HarnessError, InterruptedError, toError } from '../errors.ts';
import { createBus } from '../report/bus.ts';
import { createSecretStore } from '../report/redact.ts';
import { redactFiles } from '../report/redact-files.ts';
import { buildModel } from '../report/model-fold.ts';
import { describeRegression, regressionsOf } from '../report/regressions.ts';
import { formatDuration, withDeadline } from '../wait.ts';
import type { EventError, RunEventBody } from '../report/events.ts';
import { toEventError } from '../report/mocha-reporter.ts';
import { consoleSink } from './console.ts';
import { defaultDeps, type RunDeps, type RunIO } from './deps.ts';
import { collectRunEvidence } from './evidence.ts';
import { runPipeline, type PipelineResult, type Task, type TaskOutcome } from './pipeline.ts';
import { preflight, runTasks, VALIDATE_TITLE, type Preflight, type RunState } from './tasks.ts';
import { Teardown, type TeardownResult } from './teardown.ts';

export type { RunDeps, RunIO } from './deps.ts';

/** How a run ended, as recorded in run.end. */
interface Verdict {
  status: 'passed' | 'failed' | 'interrupted' | 'error';
  exitCode: number;
  error?: EventError;
}

/** Runs the configured suites end to end and returns the exit code (PRODUCT.md §1). */
export async function executeRun(config: RunConfig, io: RunIO, deps?: RunDeps): Promise<number> {
  const d = deps ?? (await defaultDeps());
  let state: RunState;
  try {
    // Bad input changes nothing: every check runs before the run folder, history line or cluster exists.
    const checked = await preflight(config, d, io.signal);
    state = await openRun(config, io, d, checked);
  } catch (error) {
    printError(io, error);
    return exitCodeFor(error);
  }
  const { bus } = state;
  const teardown = new Teardown({ onResult: (result) => bus.emit(teardownEvent(result)) });
  const result = await runPipeline(runTasks(config), state, {
    teardown,
    signal: io.signal,
    onBegin: (task) => bus.emit({ kind: 'phase.begin', phase: task.phase, title: task.title }),
    onEnd: (task, outcome) => bus.emit(phaseEnd(task, outcome)),
    beforeTeardown: (pipeline) => beforeTeardown(state, pipeline),
  });
  // Children an interrupted operation left behind (a half-run kind create) must not outlive the run.
  if (io.signal.aborted) d.killAllChildren();
  for (const path of await redactFiles(join(state.runDir, 'artifacts'), state.secrets)) {
    bus.emit({ kind: 'log', level: 'warn', message: `${path} is too large to mask secrets in; check it before sharing it.` });
  }
  if (result.status === 'failed' && result.error) printHint(io, result.error);
  const verdict = await judgeTrend(state, verdictOf(state, result, io.signal.aborted));
  bus.emit({ kind: 'run.end', status: verdict.status, exitCode: verdict.exitCode, ...(verdict.error ? { error: verdict.error } : {}) });
  await bus.close();
  await writeAllReports(state);
  printSummary(state, verdict, result.phase);
  return verdict.exitCode;
}

async function openRun(config: RunConfig, io: RunIO, deps: RunDeps, checked: Preflight): Promise<RunState> {
  const runId = deps.newRunId(deps.now());
  const runDir = await deps.createRunDir(config.reportDir, runId);
  const secrets = io.secrets ?? createSecretStore();
  const bus = createBus({ file: join(runDir, 'events.jsonl'), sinks: [consoleSink(io.out, io.err)], secrets });
  const tool = await toolInfo(deps.projectRoot);
  io.out(`${tool.name} ${tool.version}: ${config.suites.join(', ')} on ${config.cluster.provider} with the ${config.stack} stack`);
  io.out(`  run ${runId} in ${runDir}`);
  bus.emit({ kind: 'run.begin', runId, tool, config: { ...config } });
  await writeFile(join(runDir, 'config.json'), `${JSON.stringify(secrets.redact(config), null, 2)}\n`);
  bus.emit({ kind: 'phase.begin', phase: 'validate', title: VALIDATE_TITLE });
  bus.emit({ kind: 'phase.end', phase: 'validate', title: VALIDATE_TITLE, ms: checked.ms, status: 'passed' });
  const { plan, provider, deployer } = checked;
  return { config, io, deps, bus, runDir, runId, plan, secrets, provider, deployer, deployStarted: false, failed: false };
}

/** Decides whether the run failed, and if so collects evidence while the cluster and stack still exist. */
async function beforeTeardown(state: RunState, result: PipelineResult): Promise<void> {
  state.failed = result.status === 'failed' || checkCounts(state).failed > 0 || (state.suites?.failures ?? 0) > 0;
  await pinImages(state);
  if (!state.failed || state.io.signal.aborted || !state.cluster) return;
  const { bus, config } = state;
  const title = 'Collecting evidence of the failure';
  bus.emit({ kind: 'phase.begin', phase: 'evidence', title });
  const started = Date.now();
  await collectRunEvidence({
    runDir: state.runDir,
    bus,
    signal: AbortSignal.timeout(config.timeouts.cleanup),
    cluster: state.cluster,
    kube: state.kube,
    namespace: state.deployStarted ? state.plan.spec.namespace : undefined,
    collect: state.deps.collectEvidence,
  });
  bus.emit({ kind: 'phase.end', phase: 'evidence', title, ms: Date.now() - started, status: 'passed' });
}

/**
 * Tonight against the history: each figure slower than its trend is logged (terminal, events), and with
 * --fail-on-regression a run that otherwise passed fails with exit 1, naming them.
 */
async function judgeTrend(state: RunState, verdict: Verdict): Promise<Verdict> {
  const history = await state.deps.readHistory(state.config.historyFile).catch(() => []);
  const regressions = regressionsOf(buildModel(state.bus.events), history);
  const lines = regressions.map((r) => describeRegression(r, formatDuration));
  for (const line of lines) state.bus.emit({ kind: 'log', level: 'warn', message: `Slower than the trend: ${line}` });
  if (!state.config.failOnRegression || regressions.length === 0 || verdict.status !== 'passed') return verdict;
  const message = `${regressions.length} figure${regressions.length > 1 ? 's are' : ' is'} slower than the trend by over ${state.config.regressionThresholdPct}% (--fail-on-regression): ${lines.join('; ')}`;
  return { status: 'failed', exitCode: ExitCode.checksFailed, error: { name: 'RegressionError', message } };
}

/**
 * The image IDs the stack's pods ran, read while the stack still exists (at deploy time its pods may not have started),
 * and what the images loaded into the nodes were built from (their labels, read when they were loaded).
 */
async function pinImages(state: RunState): Promise<void> {
  const stack = state.stack;
  if (!stack || state.io.signal.aborted) return;
  const imageIds = await withDeadline(() => stack.imageIds(), { within: 30_000, what: "the image IDs of the stack's pods" }).catch(
    () => ({}),
  );
  const sources = state.cluster?.images?.sources?.() ?? {};
  const sourced = Object.keys(sources).length > 0 ? { sources } : {};
  if (Object.keys(imageIds).length > 0 || sourced.sources) state.bus.emit({ kind: 'stack.images', imageIds, ...sourced });
}

function verdictOf(state: RunState, result: PipelineResult, aborted: boolean): Verdict {
  if (aborted || result.status === 'interrupted') {
    const reason: unknown = state.io.signal.reason;
    return { status: 'interrupted', exitCode: reason instanceof InterruptedError ? reason.exitCode : ExitCode.interrupted };
  }
  if (result.status === 'failed') {
    const error = result.error ?? new Error(`The ${result.phase ?? 'run'} phase failed.`);
    return { status: 'error', exitCode: exitCodeFor(error), error: toEventError(error) };
  }
  return state.failed ? { status: 'failed', exitCode: ExitCode.checksFailed } : { status: 'passed', exitCode: ExitCode.passed };
}

function checkCounts(state: RunState): { passed: number; failed: number; skipped: number } {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const event of state.bus.events) if (event.kind === 'test.end') counts[event.status] += 1;
  return counts;
}

function phaseEnd(task: Task<RunState>, outcome: TaskOutcome): RunEventBody {
  const base = { kind: 'phase.end', phase: task.phase, title: task.title, ms: outcome.ms } as const;
  if (outcome.status === 'passed') return { ...base, status: 'passed' };
  return { ...base, status: 'failed', error: toEventError(outcome.error ?? new Error('failed')) };
}

function teardownEvent(result: TeardownResult): RunEventBody {
  const { title, status, ms, error } = result;
  return error ? { kind: 'teardown', title, status, ms, error: toEventError(error) } : { kind: 'teardown', title, status, ms };
}

async function writeAllReports(state: RunState): Promise<void> {
  const { deps, config, bus, runDir, runId } = state;
  try {
    await deps.writeReports(runDir, bus.events, config.historyFile);
    await deps.pointLatest(config.reportDir, runId);
    await deps.appendHistory(config.historyFile, bus.events);
  } catch (error) {
    state.io.err(`Could not write the reports in ${runDir}: ${toError(error).message}`);
  }
}

function printSummary(state: RunState, verdict: Verdict, phase = 'run'): void {
  const counts = checkCounts(state);
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
  const lines: Record<Verdict['status'], string> = {
    passed: `PASSED: every check passed${skipped}.`,
    failed: verdict.error
      ? `FAILED: ${verdict.error.message}`
      : `FAILED: ${counts.failed} of ${counts.passed + counts.failed} checks failed${skipped}.`,
    error: `ERROR: the run stopped in its ${phase} phase (exit ${verdict.exitCode}).`,
    interrupted: 'INTERRUPTED: the run was stopped; what it created was torn down.',
  };
  state.io.out(lines[verdict.status]);
  state.io.out(`${counts.passed} passed, ${counts.failed} failed`);
  state.io.out(`Report: ${join(state.runDir, 'index.html')}`);
}

/** A known error already has its one line (phase.end); add its hint. An unknown one is a bug: show its stack. */
function printHint(io: RunIO, error: Error): void {
  if (error instanceof HarnessError) {
    if (error.hint) io.err(error.hint);
  } else if (error.stack) {
    io.err(error.stack);
  }
}

function printError(io: RunIO, thrown: unknown): void {
  const error = toError(thrown);
  io.err(error instanceof HarnessError ? formatKnownError(error) : (error.stack ?? error.message));
}

async function toolInfo(root: string): Promise<{ name: string; version: string }> {
  const parsed: unknown = await readFile(join(root, 'package.json'), 'utf8')
    .then((text) => JSON.parse(text) as unknown)
    .catch(() => undefined);
  const field = (key: string): string | undefined => {
    const value: unknown = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  return { name: field('name') ?? 'mip-verify', version: field('version') ?? 'unknown' };
}
