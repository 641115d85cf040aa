// junit.xml for CI pages (Jenkins/Surefire JUnit schema), a pure function of the events.
// One <testsuite> per suite and one <testcase> per check. Recovery trials recorded inside a check
// are covered by that check's testcase; trials recorded outside any check become testcases of the
// `recovery` suite. A run that failed outside its checks (crash, provisioning) adds a `run` suite
// with one <error> testcase, so CI never shows a broken run as an empty green one.
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { EventError, RunEvent } from '../events.ts';
import { buildModel } from '../model-fold.ts';
import type { Regression } from '../regressions.ts';
import type { CheckModel, RunModel, SuiteModel, TrialModel } from '../model.ts';

/** A testcase as JUnit sees it. */
interface Case {
  name: string;
  durationMs: number;
  outcome?: { tag: 'failure' | 'error'; error: EventError } | { tag: 'skipped'; message: string };
  output?: string;
}

/** A testsuite as JUnit sees it. */
interface Group {
  name: string;
  startedAt: string;
  durationMs: number;
  cases: Case[];
}

// ANSI colour codes from tool output are noise on a CI page; other control characters are not XML 1.0.
// eslint-disable-next-line no-control-regex -- matching the ESC that starts a colour code is the point
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const clean = (text: string): string => text.replace(ANSI, '');

/** junit.xml for these events. */
export function renderJunit(events: readonly RunEvent[]): string {
  return junitFromModel(buildModel(events));
}

/** junit.xml for an already built model. */
export function junitFromModel(model: RunModel, options: { regressions?: readonly Regression[] } = {}): string {
  const groups = groupsOf(model);
  const all = groups.flatMap((g) => g.cases);
  // The schema's <testsuites> takes no skipped or timestamp attribute; those live on each <testsuite>.
  const { tests, failures, errors } = counts(all);
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' }).ele('testsuites', {
    name: `mip-verify ${model.runId}`,
    tests,
    failures,
    errors,
    time: seconds(model.durationMs),
  });
  groups.forEach((group, id) =>
    addGroup(
      root,
      group,
      id,
      (options.regressions ?? []).filter((r) => suiteOfFigure(r.figure, groups) === group.name),
    ),
  );
  return root.end({ prettyPrint: true, indent: '  ' }) + '\n';
}

function groupsOf(model: RunModel): Group[] {
  const groups: Group[] = model.suites.map((suite) => ({
    name: suite.name,
    startedAt: suite.startedAt,
    durationMs: suite.durationMs,
    cases: [...suite.checks.map(checkCase), ...suiteErrorCase(suite)],
  }));
  const loose = model.trials.filter((t) => t.check === undefined).map(trialCase);
  if (loose.length > 0) {
    let recovery = groups.find((g) => g.name === 'recovery');
    if (!recovery) groups.push((recovery = { name: 'recovery', startedAt: model.startedAt, durationMs: 0, cases: [] }));
    recovery.cases.push(...loose);
  }
  const runCase = runErrorCase(
    model,
    groups.flatMap((g) => g.cases),
  );
  if (runCase) groups.push({ name: 'run', startedAt: model.startedAt, durationMs: model.durationMs, cases: [runCase] });
  return groups;
}

/** A testcase for a run that broke outside its checks, or failed with no failing testcase to show why. */
function runErrorCase(model: RunModel, cases: readonly Case[]): Case | undefined {
  const brokeOutside = !model.finished || (model.endStatus !== 'passed' && model.endStatus !== 'failed');
  const unexplained = model.status === 'failed' && !cases.some((c) => c.outcome?.tag === 'failure' || c.outcome?.tag === 'error');
  if (!brokeOutside && !unexplained) return undefined;
  const error = model.error ?? {
    name: 'RunError',
    message: `The run ended as ${model.endStatus ?? 'unfinished'} with exit code ${model.exitCode ?? 'none'}.`,
  };
  return { name: 'run completed', durationMs: model.durationMs, outcome: { tag: 'error', error } };
}

const STEP_MARK = { passed: 'ok  ', failed: 'FAIL', skipped: 'skip' } as const;

function checkCase(check: CheckModel): Case {
  const steps = check.steps.map((s) => `${STEP_MARK[s.status]} ${s.title} (${seconds(s.durationMs)} s)`);
  // Jenkins' attachments plugin picks up these markers; other CI pages show them as plain lines.
  const files = check.evidence.map((e) => `[[ATTACHMENT|${e.path}]] ${e.title}`);
  const output = [...steps, ...files].join('\n');
  const base: Case = { name: check.name, durationMs: check.durationMs, ...(output ? { output } : {}) };
  if (check.status === 'failed')
    return { ...base, outcome: { tag: 'failure', error: check.error ?? { name: 'Failure', message: 'The check failed.' } } };
  if (check.status === 'skipped') return { ...base, outcome: { tag: 'skipped', message: check.reason ?? 'skipped' } };
  return base;
}

function suiteErrorCase(suite: SuiteModel): Case[] {
  if (suite.status === 'skipped' && suite.checks.length === 0) {
    return [{ name: suite.title, durationMs: 0, outcome: { tag: 'skipped', message: suite.reason ?? 'skipped' } }];
  }
  return suite.error
    ? [{ name: `${suite.name} (suite)`, durationMs: suite.durationMs, outcome: { tag: 'error', error: suite.error } }]
    : [];
}

function trialCase(trial: TrialModel): Case {
  const name = `${trial.scenario} trial ${trial.trial} on ${trial.target}`;
  if (trial.passed) return { name, durationMs: trial.totalMs };
  const message = `Recovered after ${seconds(trial.totalMs)} s, over the SLO of ${seconds(trial.sloMs)} s.`;
  return { name, durationMs: trial.totalMs, outcome: { tag: 'failure', error: { name: 'SloExceeded', message } } };
}

/** The suite a figure belongs to (`suite smoke`, `smoke: workflow run time`, `recovery x p95`), else the first suite. */
function suiteOfFigure(figure: string, groups: readonly Group[]): string | undefined {
  const named =
    /^suite (\S+)$/.exec(figure)?.[1] ?? /^(\S+): /.exec(figure)?.[1] ?? (figure.startsWith('recovery ') ? 'recovery' : undefined);
  return groups.some((g) => g.name === named) ? named : groups[0]?.name;
}

function addGroup(root: XMLBuilder, group: Group, id: number, regressions: readonly Regression[]): void {
  const suite = root.ele('testsuite', {
    name: group.name,
    ...counts(group.cases),
    time: seconds(group.durationMs),
    timestamp: timestamp(group.startedAt),
    id: String(id),
  });
  if (regressions.length > 0) {
    // A figure slower than its trend, as CI pages show suite properties.
    const properties = suite.ele('properties');
    for (const r of regressions)
      properties.ele('property', {
        name: `regression: ${r.figure}`,
        value: `${r.valueMs} ms, +${r.changePct}% on the median of ${r.nights} nights (${r.medianMs} ms)`,
      });
  }
  for (const item of group.cases) addCase(suite, group.name, item);
}

function addCase(suite: XMLBuilder, group: string, item: Case): void {
  const node = suite.ele('testcase', { classname: `mip-verify.${group}`, name: clean(item.name), time: seconds(item.durationMs) });
  const outcome = item.outcome;
  if (outcome?.tag === 'skipped') node.ele('skipped', { message: clean(outcome.message) });
  else if (outcome) {
    const { message, name, stack } = outcome.error;
    node.ele(outcome.tag, { message: clean(message), type: name }).txt(clean(stack ?? message));
  }
  if (item.output) node.ele('system-out').txt(clean(item.output));
}

function counts(cases: readonly Case[]): { tests: string; failures: string; errors: string; skipped: string } {
  const count = (tag: string): string => String(cases.filter((c) => c.outcome?.tag === tag).length);
  return { tests: String(cases.length), failures: count('failure'), errors: count('error'), skipped: count('skipped') };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** The schema's timestamp: ISO 8601 without fraction or zone (the time is UTC). */
function timestamp(iso: string): string {
  return iso.slice(0, 19);
}
