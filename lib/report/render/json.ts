// report.json: the versioned machine-readable report (PRODUCT.md §2), a pure function of the events.
// Statuses are computed by the run model, never copied from an event.
import type { Regression } from '../regressions.ts';
import type { ChartInfo, EventError, ImageSource, NodeInfo, RunEvent, Status } from '../events.ts';
import { buildModel } from '../model-fold.ts';
import type { CheckModel, Evidence, MetricModel, RunModel, StepModel, SuiteModel } from '../model.ts';
import { groupByScenario, sloOf } from '../recovery.ts';
import type { ScenarioStats } from '../recovery.ts';

/** A check in report.json. */
export interface CheckJson {
  /** Check name. */
  name: string;
  /** Computed outcome. */
  status: Status;
  /** Duration, ms. */
  durationMs: number;
  /** Why it failed. */
  error?: EventError;
  /** Why it was skipped. */
  reason?: string;
  /** Its steps with their durations. */
  steps: { title: string; status: Status; durationMs: number; error?: EventError }[];
  /** Files collected for it, relative to the run directory. */
  evidence?: Evidence[];
}

/** A suite in report.json. */
export interface SuiteJson {
  /** Suite name. */
  name: string;
  /** Computed outcome. */
  status: Status;
  /** Duration, ms. */
  durationMs: number;
  /** Why it was skipped. */
  reason?: string;
  /** Why it failed when no check explains it. */
  error?: EventError;
  /** Its checks. */
  checks: CheckJson[];
}

/** One recovery trial in report.json. */
export interface TrialJson {
  /** Scenario name. */
  scenario: string;
  /** Trial number within the scenario (1-based). */
  trial: number;
  /** Node the fault hit. */
  target: string;
  /** Phase name → ms since fault injection. */
  phases: Record<string, number>;
  /** Fault to recovery, ms. */
  totalMs: number;
  /** Whether totalMs met the SLO. */
  passed: boolean;
}

/** The whole of report.json. */
export interface ReportJson {
  /** Version of this format; bumped on any incompatible change. */
  schemaVersion: 1;
  /** Run id (sortable by time). */
  runId: string;
  /** Run start (ISO). */
  startedAt: string;
  /** Run end, or the last event when the run did not finish (ISO). */
  finishedAt: string;
  /** Computed verdict. */
  status: 'passed' | 'failed';
  /** Exit code of the run; null when it did not finish. */
  exitCode: number | null;
  /** Why the run as a whole failed. */
  error?: EventError;
  /** The tool that ran. */
  tool: { name: string; version: string };
  /** The cluster; null when it never became ready. */
  cluster: { provider: string; kubernetesVersion: string; nodes: NodeInfo[] } | null;
  /** The stack; null when it was never deployed. */
  stack: {
    name: string;
    source: string;
    images: Record<string, string>;
    imageIds?: Record<string, string>;
    /** Image reference → the checkout it was built from; only images built from one. */
    imageSources?: Record<string, ImageSource>;
    charts?: ChartInfo[];
  } | null;
  /** Suites in run order. */
  suites: SuiteJson[];
  /** Recovery trials and percentiles; present only when trials were recorded. */
  recovery?: { sloMs: number; trials: TrialJson[]; percentiles: Record<string, ScenarioStats> };
  /** Every measurement of the run. */
  metrics: MetricModel[];
  /** Figures slower than the median of the earlier nights by more than the threshold; present when the history had earlier nights. */
  regressions?: Regression[];
}

/** report.json for these events. */
export function renderReportJson(events: readonly RunEvent[]): ReportJson {
  return reportFromModel(buildModel(events));
}

/** report.json for an already built model. */
export function reportFromModel(model: RunModel, options: { regressions?: Regression[] } = {}): ReportJson {
  const { cluster, stack } = model;
  const recovery = recoveryJson(model);
  return {
    schemaVersion: 1,
    runId: model.runId,
    startedAt: model.startedAt,
    finishedAt: model.finishedAt,
    status: model.status,
    exitCode: model.exitCode,
    ...(model.error ? { error: model.error } : {}),
    tool: model.tool,
    cluster: cluster ? { provider: cluster.provider, kubernetesVersion: cluster.kubernetesVersion, nodes: cluster.nodes } : null,
    stack: stack
      ? {
          name: stack.name,
          source: stack.source,
          images: stack.images,
          ...(Object.keys(stack.imageIds).length > 0 ? { imageIds: stack.imageIds } : {}),
          ...(Object.keys(stack.imageSources).length > 0 ? { imageSources: stack.imageSources } : {}),
          ...(stack.charts.length > 0 ? { charts: stack.charts } : {}),
        }
      : null,
    suites: model.suites.map(suiteJson),
    ...(recovery ? { recovery } : {}),
    metrics: model.metrics,
    ...(options.regressions ? { regressions: options.regressions } : {}),
  };
}

function suiteJson(suite: SuiteModel): SuiteJson {
  return {
    name: suite.name,
    status: suite.status,
    durationMs: suite.durationMs,
    ...(suite.reason !== undefined ? { reason: suite.reason } : {}),
    ...(suite.error ? { error: suite.error } : {}),
    checks: suite.checks.map(checkJson),
  };
}

function checkJson(check: CheckModel): CheckJson {
  return {
    name: check.name,
    status: check.status,
    durationMs: check.durationMs,
    ...(check.error ? { error: check.error } : {}),
    ...(check.reason !== undefined ? { reason: check.reason } : {}),
    steps: check.steps.map(stepJson),
    ...(check.evidence.length > 0 ? { evidence: check.evidence } : {}),
  };
}

function stepJson(step: StepModel): CheckJson['steps'][number] {
  const { title, status, durationMs, error } = step;
  return error ? { title, status, durationMs, error } : { title, status, durationMs };
}

function recoveryJson(model: RunModel): ReportJson['recovery'] {
  const sloMs = sloOf(model.trials);
  if (sloMs === undefined) return undefined;
  const trials = model.trials.map((t): TrialJson => ({
    scenario: t.scenario,
    trial: t.trial,
    target: t.target,
    phases: Object.fromEntries(t.phases.map((p) => [p.phase, p.ms])),
    totalMs: t.totalMs,
    passed: t.passed,
  }));
  const percentiles = Object.fromEntries(groupByScenario(model.trials).map((g) => [g.scenario, g.stats]));
  return { sloMs, trials, percentiles };
}
