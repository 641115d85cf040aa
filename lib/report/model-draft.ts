// The model under construction while buildModel folds events: its empty start, and the pass at the
// end that closes whatever the run left open and computes the counts and the status.
import type { EventError, RunEvent } from './events.ts';
import type { CheckModel, RunModel, SuiteModel } from './model.ts';

/** Default lower bound of the recovery claim ("recovers in 1 to 5 minutes"). */
export const DEFAULT_FLOOR_MS = 60_000;

/** The model while the events are folded into it, with what the fold keeps track of. */
export interface Draft extends RunModel {
  /** Steps and pipeline phases that began and have not ended yet, with their start time. */
  open: Map<object, string>;
  /** The check running right now: trials and waits carry no suite/test, so they belong to it. */
  current?: { suite: string; check: CheckModel };
  /** The last event seen. */
  last?: RunEvent;
  /**
   * Checks (and suites) that only steps created: steps of a before/after hook, or of a check's
   * teardown after its test.end. Dropped at the end unless a test or suite event claimed them.
   */
  provisional: Set<CheckModel | SuiteModel>;
}

/** The model before any event, dated `at`. */
export function emptyDraft(at: string): Draft {
  return {
    runId: 'unknown',
    tool: { name: 'mip-verify', version: 'unknown' },
    config: {},
    startedAt: at,
    finishedAt: at,
    durationMs: 0,
    finished: false,
    exitCode: null,
    status: 'failed',
    counts: { passed: 0, failed: 0, skipped: 0 },
    pipeline: [],
    suites: [],
    trials: [],
    metrics: [],
    evidence: [],
    teardown: [],
    logs: [],
    floorMs: DEFAULT_FLOOR_MS,
    open: new Map(),
    provisional: new Set(),
  };
}

/** Closes what the run left open (steps, checks, suites), drops provisional checks and computes counts and status. */
export function finishDraft(d: Draft): RunModel {
  const lastAt = d.last?.at ?? d.startedAt;
  const { open: _open, current: _current, last: _last, provisional: _provisional, ...model } = d;
  for (const [item, since] of d.open) {
    Object.assign(item, { status: 'failed', durationMs: elapsed(since, lastAt), error: unfinished('The step') });
  }
  for (const suite of model.suites) {
    suite.checks = suite.checks.filter((c) => !(d.provisional.has(c) && c.steps.every((step) => step.status !== 'failed')));
    finishSuite(suite, lastAt);
  }
  model.suites = model.suites.filter((suite) => !(d.provisional.has(suite) && suite.checks.length === 0));
  if (!d.finished) {
    model.finishedAt = lastAt;
    const where = d.last ? `event ${d.last.seq} (${d.last.kind})` : 'its first event';
    model.error = { name: 'IncompleteRun', message: `The run did not finish: its events stop at ${where} without a run.end.` };
  }
  model.durationMs = elapsed(model.startedAt, model.finishedAt);
  const checks = model.suites.flatMap((s) => s.checks);
  for (const status of ['passed', 'failed', 'skipped'] as const) model.counts[status] = checks.filter((c) => c.status === status).length;
  const failed =
    !d.finished ||
    d.endStatus !== 'passed' ||
    model.suites.some((s) => s.status === 'failed') ||
    model.trials.some((t) => !t.passed && t.check === undefined);
  model.status = failed ? 'failed' : 'passed';
  return model;
}

function finishSuite(suite: SuiteModel, lastAt: string): void {
  for (const check of suite.checks.filter((c) => !c.finished)) {
    Object.assign(check, { status: 'failed', durationMs: elapsed(check.startedAt, lastAt), error: unfinished('The check') });
  }
  const ended = suite.endStatus !== undefined;
  if (!ended) suite.durationMs = elapsed(suite.startedAt, lastAt);
  const checkFailed = suite.checks.some((c) => c.status === 'failed');
  if (checkFailed || !ended || suite.endStatus === 'failed') {
    suite.status = 'failed';
    if (!checkFailed)
      suite.error = ended
        ? { name: 'SuiteError', message: 'The suite failed outside its checks (in a before or after hook).' }
        : unfinished('The suite');
  } else if (suite.checks.some((c) => c.status === 'passed')) suite.status = 'passed';
  else suite.status = suite.endStatus === 'skipped' || suite.checks.length > 0 ? 'skipped' : 'passed';
}

function unfinished(subject: string): EventError {
  return { name: 'IncompleteRun', message: `${subject} did not finish: the run stopped before its end was recorded.` };
}

function elapsed(from: string, to: string): number {
  return Math.max(0, Date.parse(to) - Date.parse(from));
}
