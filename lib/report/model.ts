// The run model: the shape the event stream is folded into once (buildModel, model-fold.ts): suites, checks,
// steps, trials and metrics, every status computed there so the JSON, JUnit and HTML renderers cannot disagree.
import type { ChartInfo, EventError, ImageSource, NodeInfo, PhaseMark, Status } from './events.ts';

/** A step of a check, as its step.begin/step.end pair recorded it. */
export interface StepModel {
  /** Step id, unique within its check. */
  id: number;
  /** Step title, phrased as the fact it checks. */
  title: string;
  /** Outcome; a step that never ended counts as failed. */
  status: Status;
  /** Duration in milliseconds. */
  durationMs: number;
  /** Why it failed. */
  error?: EventError;
}

/** A file collected as evidence, relative to the run directory. */
export interface Evidence {
  /** Relative path, normally under `artifacts/`. */
  path: string;
  /** MIME type of the file. */
  contentType: string;
  /** What the file shows. */
  title: string;
}

/** A bounded wait that finished inside a check. */
export interface WaitModel {
  /** The condition waited for. */
  what: string;
  /** Whether it was met. */
  ok: boolean;
  /** The last state seen. */
  observed: string;
  /** How long the wait took, ms. */
  elapsedMs: number;
}

/** One timed recovery trial. */
export interface TrialModel {
  /** Scenario name, e.g. `worker-node-down`. */
  scenario: string;
  /** Node the fault hit. */
  target: string;
  /** Trial number within its scenario (1-based). */
  trial: number;
  /** Phase marks, ms since fault injection. */
  phases: PhaseMark[];
  /** Time from fault to recovery, ms. */
  totalMs: number;
  /** Whether totalMs met the SLO. */
  passed: boolean;
  /** The SLO the trial was judged against, ms. */
  sloMs: number;
  /** `suite/check` the trial was recorded in; absent when it was recorded outside any check. */
  check?: string;
}

/** One check (a mocha test). */
export interface CheckModel {
  /** Check name. */
  name: string;
  /** Outcome; a check that never ended counts as failed. */
  status: Status;
  /** Duration in milliseconds. */
  durationMs: number;
  /** Why it failed. */
  error?: EventError;
  /** Why it was skipped. */
  reason?: string;
  /** Its steps, in start order. */
  steps: StepModel[];
  /** Evidence collected for it. */
  evidence: Evidence[];
  /** Waits that finished while it ran. */
  waits: WaitModel[];
  /** Recovery trials recorded while it ran. */
  trials: TrialModel[];
  /** Whether test.end was seen. */
  finished: boolean;
  /** When it began (ISO). */
  startedAt: string;
}

/** One suite. */
export interface SuiteModel {
  /** Suite name (`smoke`, `recovery`, ...). */
  name: string;
  /** Human title. */
  title: string;
  /** Computed outcome: failed if a check failed, the suite failed outside its checks, or never ended. */
  status: Status;
  /** Duration in milliseconds. */
  durationMs: number;
  /** Why the suite was skipped. */
  reason?: string;
  /** Why the suite failed when no check explains it. */
  error?: EventError;
  /** Its checks, in start order. */
  checks: CheckModel[];
  /** Evidence collected for the suite as a whole. */
  evidence: Evidence[];
  /** When it began (ISO). */
  startedAt: string;
  /** Status suite.end recorded, if it ended. */
  endStatus?: Status;
}

/** A measurement. */
export interface MetricModel {
  /** Suite it belongs to. */
  suite?: string;
  /** Check it belongs to. */
  test?: string;
  /** Metric name. */
  name: string;
  /** Measured value. */
  value: number;
  /** Unit of value. */
  unit: string;
  /** How precise the measurement is, ± ms. */
  precisionMs?: number;
}

/** A timed part of the pipeline (provision, deploy, teardown, ...) or one teardown action. */
export interface TimedPart {
  /** Phase id or teardown title. */
  name: string;
  /** Human title. */
  title: string;
  /** Outcome. */
  status: Status;
  /** Duration in milliseconds. */
  durationMs: number;
  /** Why it failed. */
  error?: EventError;
}

/** Check counts of a run. */
export interface Counts {
  /** Checks that passed. */
  passed: number;
  /** Checks that failed. */
  failed: number;
  /** Checks that were skipped. */
  skipped: number;
}

/** Everything the renderers need, derived from the events alone. */
export interface RunModel {
  /** Run id from run.begin. */
  runId: string;
  /** The tool that ran. */
  tool: { name: string; version: string };
  /** Effective configuration as recorded in run.begin. */
  config: Record<string, unknown>;
  /** First event time (ISO). */
  startedAt: string;
  /** run.end time, or the last event's time when the run did not finish (ISO). */
  finishedAt: string;
  /** finishedAt − startedAt, ms. */
  durationMs: number;
  /** Whether run.end was recorded. */
  finished: boolean;
  /** Status run.end recorded. */
  endStatus?: 'passed' | 'failed' | 'interrupted' | 'error';
  /** Exit code run.end recorded; null when the run did not finish. */
  exitCode: number | null;
  /** Why the run as a whole failed (run.end error, or that it did not finish). */
  error?: EventError;
  /** Computed verdict. */
  status: 'passed' | 'failed';
  /** Check counts. */
  counts: Counts;
  /** The cluster, once it was ready. */
  cluster?: { provider: string; name: string; kubernetesVersion: string; nodes: NodeInfo[] };
  /** The deployed stack, once it was ready. */
  stack?: {
    name: string;
    source: string;
    namespace: string;
    images: Record<string, string>;
    imageIds: Record<string, string>;
    /** Image reference → the checkout it was built from (images built by `image build --openms-source`/`--exaflow-source`). */
    imageSources: Record<string, ImageSource>;
    charts: ChartInfo[];
  };
  /** Pipeline phases in start order. */
  pipeline: TimedPart[];
  /** Suites in start order. */
  suites: SuiteModel[];
  /** Every recovery trial, in order. */
  trials: TrialModel[];
  /** Every metric, in order. */
  metrics: MetricModel[];
  /** Evidence not tied to a suite. */
  evidence: Evidence[];
  /** Teardown actions in the order they ran. */
  teardown: TimedPart[];
  /** Warnings and errors logged during the run. */
  logs: { level: 'info' | 'warn' | 'error'; message: string; at: string }[];
  /** Lower bound of the recovery claim, ms (config `floorMs`, else 1 minute). */
  floorMs: number;
}
