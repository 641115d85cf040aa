// buildModel, the fold of a run's events into its model: one handler per event kind (a mapped type, so a
// new kind does not compile until it is handled here), then the pass in model-draft.ts that closes
// whatever the run left open.
import type { EventOf, RunEvent, RunEventKind } from './events.ts';
import { DEFAULT_FLOOR_MS, emptyDraft, finishDraft, type Draft } from './model-draft.ts';
import type { CheckModel, Evidence, RunModel, SuiteModel, TimedPart } from './model.ts';

type Handlers = { [K in RunEventKind]: (draft: Draft, event: EventOf<K>) => void };

const handlers: Handlers = {
  'run.begin': (d, e) => {
    d.runId = e.runId;
    d.tool = { ...e.tool };
    d.config = e.config;
    d.startedAt = e.at;
    const floor = e.config.floorMs;
    d.floorMs = typeof floor === 'number' && floor > 0 ? floor : DEFAULT_FLOOR_MS;
  },
  'run.end': (d, e) => {
    d.finished = true;
    d.endStatus = e.status;
    d.exitCode = e.exitCode;
    d.finishedAt = e.at;
    if (e.error) d.error = e.error;
  },
  'phase.begin': (d, e) => {
    const part: TimedPart = { name: e.phase, title: e.title, status: 'passed', durationMs: 0 };
    d.pipeline.push(part);
    d.open.set(part, e.at);
  },
  'phase.end': (d, e) => {
    const ended: TimedPart = { name: e.phase, title: e.title, status: e.status, durationMs: e.ms, ...(e.error ? { error: e.error } : {}) };
    const begun = d.pipeline.find((p) => p.name === e.phase && d.open.has(p));
    if (begun) d.open.delete(Object.assign(begun, ended));
    else d.pipeline.push(ended);
  },
  'cluster.ready': (d, e) => {
    d.cluster = { provider: e.provider, name: e.name, kubernetesVersion: e.kubernetesVersion, nodes: e.nodes };
  },
  'stack.ready': (d, e) => {
    d.stack = {
      name: e.name,
      source: e.source,
      namespace: e.namespace,
      images: e.images,
      imageIds: e.imageIds ?? {},
      imageSources: {},
      charts: e.charts ?? [],
    };
  },
  'stack.images': (d, e) => {
    // Read once the pods ran (after the suites): the IDs the nodes actually ran, merged into the stack.
    if (d.stack) d.stack.imageIds = { ...d.stack.imageIds, ...e.imageIds };
    // What the images loaded into the nodes were built from (absent from streams written before it was recorded).
    if (d.stack && e.sources) d.stack.imageSources = { ...d.stack.imageSources, ...e.sources };
  },
  'suite.begin': (d, e) => {
    const suite = suiteOf(d, e.suite, e.at);
    suite.title = e.title;
    d.provisional.delete(suite);
  },
  'suite.end': (d, e) => {
    const suite = suiteOf(d, e.suite, e.at);
    suite.endStatus = e.status;
    suite.durationMs = e.ms;
    if (e.reason !== undefined) suite.reason = e.reason;
  },
  'test.begin': (d, e) => {
    d.current = { suite: e.suite, check: newCheck(suiteOf(d, e.suite, e.at), e.test, e.at) };
  },
  'test.end': (d, e) => {
    const check = openCheck(d, e.suite, e.test, e.at);
    d.provisional.delete(check);
    d.provisional.delete(suiteOf(d, e.suite, e.at));
    Object.assign(check, { status: e.status, durationMs: e.ms, finished: true });
    if (e.error) check.error = e.error;
    if (e.reason !== undefined) check.reason = e.reason;
    if (d.current?.check === check) delete d.current;
  },
  'step.begin': (d, e) => {
    const step = { id: e.id, title: e.title, status: 'passed' as const, durationMs: 0 };
    stepCheck(d, e.suite, e.test, e.at).steps.push(step);
    d.open.set(step, e.at);
  },
  'step.end': (d, e) => {
    const steps = stepCheck(d, e.suite, e.test, e.at).steps;
    let step = steps.find((s) => s.id === e.id && d.open.has(s));
    if (!step) steps.push((step = { id: e.id, title: e.title, status: e.status, durationMs: e.ms }));
    d.open.delete(step);
    Object.assign(step, { title: e.title, status: e.status, durationMs: e.ms }, e.error ? { error: e.error } : {});
  },
  // Attempts are progress for the live view; the finished wait (wait.done) is what a report shows.
  'wait.attempt': () => undefined,
  'wait.done': (d, e) => {
    d.current?.check.waits.push({ what: e.what, ok: e.ok, observed: e.observed, elapsedMs: e.elapsedMs });
  },
  metric: (d, e) => {
    const { suite, test, name, value, unit, precisionMs } = e;
    d.metrics.push(compact({ suite, test, name, value, unit, precisionMs }));
  },
  trial: (d, e) => {
    const { scenario, target, trial, phases, totalMs, passed, sloMs } = e;
    const check = d.current ? `${d.current.suite}/${d.current.check.name}` : undefined;
    const model = compact({ scenario, target, trial, phases, totalMs, passed, sloMs, check });
    d.trials.push(model);
    d.current?.check.trials.push(model);
  },
  artifact: (d, e) => {
    evidenceListOf(d, e.suite, e.test).push({ path: e.path, contentType: e.contentType, title: e.title });
  },
  teardown: (d, e) => {
    const part: TimedPart = { name: e.title, title: e.title, status: e.status, durationMs: e.ms };
    d.teardown.push(e.error ? { ...part, error: e.error } : part);
  },
  log: (d, e) => {
    d.logs.push({ level: e.level, message: e.message, at: e.at });
  },
};

/** Folds the events of one run into its model. Pure: the same events always give the same model. */
export function buildModel(events: readonly RunEvent[]): RunModel {
  const draft = emptyDraft(events[0]?.at ?? '1970-01-01T00:00:00.000Z');
  for (const event of events) {
    (handlers[event.kind] as (d: Draft, e: RunEvent) => void)(draft, event);
    draft.last = event;
  }
  return finishDraft(draft);
}

function suiteOf(d: Draft, name: string, at: string): SuiteModel {
  let suite = d.suites.find((s) => s.name === name);
  if (!suite) d.suites.push((suite = { name, title: name, status: 'passed', durationMs: 0, checks: [], evidence: [], startedAt: at }));
  return suite;
}

function newCheck(suite: SuiteModel, name: string, at: string): CheckModel {
  const check: CheckModel = {
    name,
    status: 'passed',
    durationMs: 0,
    steps: [],
    evidence: [],
    waits: [],
    trials: [],
    finished: false,
    startedAt: at,
  };
  suite.checks.push(check);
  return check;
}

/** The running check of that name, or a new one (skipped tests end without ever beginning). */
function openCheck(d: Draft, suiteName: string, name: string, at: string): CheckModel {
  const suite = suiteOf(d, suiteName, at);
  return suite.checks.findLast((c) => c.name === name && !c.finished) ?? newCheck(suite, name, at);
}

/**
 * The check a step belongs to. Steps of a hook (the harness's scale-back in an `after` hook) arrive
 * under the hook's name without a test.begin: such a check is provisional, and only becomes a check
 * of the report if the hook fails (test.end) or leaves a step unfinished.
 */
function stepCheck(d: Draft, suiteName: string, name: string, at: string): CheckModel {
  if (!d.suites.some((s) => s.name === suiteName)) d.provisional.add(suiteOf(d, suiteName, at));
  const suite = suiteOf(d, suiteName, at);
  const running = suite.checks.findLast((c) => c.name === name && !c.finished);
  if (running) return running;
  const check = newCheck(suite, name, at);
  d.provisional.add(check);
  return check;
}

function evidenceListOf(d: Draft, suiteName?: string, test?: string): Evidence[] {
  const suite = d.suites.find((s) => s.name === suiteName);
  if (!suite) return d.evidence;
  return suite.checks.findLast((c) => c.name === test)?.evidence ?? suite.evidence;
}

/** The object without its undefined members, so reports carry no empty keys. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
