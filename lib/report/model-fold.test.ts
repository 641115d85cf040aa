import { expect } from 'chai';
import type { RunEventBody } from './events.ts';
import { buildModel } from './model-fold.ts';
import { runBegin, runEnd, stamp, suite, trial } from '../../fixtures/support/recorded-events.ts';

describe('run model', () => {
  it('marks a check, its step and its suite failed when the run stopped inside them', () => {
    const model = buildModel(
      stamp([
        runBegin(),
        { kind: 'suite.begin', suite: 'chaos', title: 'Chaos' },
        { kind: 'test.begin', suite: 'chaos', test: 'kill a worker' },
        { kind: 'step.begin', suite: 'chaos', test: 'kill a worker', id: 1, title: 'pod deleted' },
        { kind: 'log', level: 'info', message: 'still going' },
      ]),
    );
    const check = model.suites[0]?.checks[0];
    expect(check?.status).to.equal('failed');
    expect(check?.error?.message).to.match(/did not finish/);
    expect(check?.steps[0]).to.include({ status: 'failed', durationMs: 1000 });
    expect(model.suites[0]?.status).to.equal('failed');
    expect(model.status).to.equal('failed');
    expect(model.error?.message).to.equal('The run did not finish: its events stop at event 5 (log) without a run.end.');
    expect([model.finishedAt, model.durationMs, model.exitCode]).to.deep.equal(['2026-11-22T02:00:04.000Z', 4000, null]);
  });

  it('keeps the steps of a passing hook out of the checks, and shows a failing hook as a check with its steps', () => {
    const hookStep = (test: string, id: number, status: 'passed' | 'failed'): RunEventBody[] => [
      { kind: 'step.begin', suite: 'sessions', test, id, title: 'deployment/web scaled to 1' },
      { kind: 'step.end', suite: 'sessions', test, id, title: 'deployment/web scaled to 1', status, ms: 700 },
    ];
    const passing = buildModel(
      stamp([
        runBegin(),
        ...suite('sessions', [['sticky', 'passed']]).slice(0, -1),
        ...hookStep('"after all" hook', 7, 'passed'),
        { kind: 'suite.end', suite: 'sessions', status: 'passed', ms: 9 },
        runEnd('passed', 0),
      ]),
    );
    expect(passing.suites[0]?.checks.map((c) => c.name)).to.deep.equal(['sticky']);
    expect(passing.status).to.equal('passed');
    const failing = buildModel(
      stamp([
        runBegin(),
        ...suite('sessions', [['sticky', 'passed']]).slice(0, -1),
        ...hookStep('"after all" hook', 7, 'failed'),
        {
          kind: 'test.end',
          suite: 'sessions',
          test: '"after all" hook',
          status: 'failed',
          ms: 800,
          error: { name: 'Error', message: 'scale failed' },
        },
        { kind: 'suite.end', suite: 'sessions', status: 'failed', ms: 9 },
        runEnd('failed', 1),
      ]),
    );
    const hook = failing.suites[0]?.checks[1];
    expect([hook?.name, hook?.status, hook?.steps.length]).to.deep.equal(['"after all" hook', 'failed', 1]);
  });

  it("adds no suite for steps of a check's teardown that ran after its end", () => {
    const model = buildModel(
      stamp([
        runBegin(),
        ...suite('chaos', [['kill a web pod', 'passed']]),
        { kind: 'step.begin', suite: 'run', test: '(outside a check)', id: 3, title: 'deployment/web scaled to 1' },
        {
          kind: 'step.end',
          suite: 'run',
          test: '(outside a check)',
          id: 3,
          title: 'deployment/web scaled to 1',
          status: 'passed',
          ms: 500,
        },
        runEnd('passed', 0),
      ]),
    );
    expect(model.suites.map((s) => s.name)).to.deep.equal(['chaos']);
    expect(model.status).to.equal('passed');
  });

  it('computes suite status from checks, not from suite.end', () => {
    const liar: RunEventBody[] = [
      { kind: 'suite.begin', suite: 'smoke', title: 'Smoke' },
      { kind: 'test.end', suite: 'smoke', test: 'health', status: 'failed', ms: 3, error: { name: 'Error', message: 'no' } },
      { kind: 'suite.end', suite: 'smoke', status: 'passed', ms: 5 },
    ];
    const model = buildModel(
      stamp([
        runBegin(),
        ...liar,
        ...suite('skippy', [
          ['a', 'skipped'],
          ['b', 'skipped'],
        ]),
        runEnd('passed', 0),
      ]),
    );
    expect(model.suites.map((s) => s.status)).to.deep.equal(['failed', 'skipped']);
    expect(model.counts).to.deep.equal({ passed: 0, failed: 1, skipped: 2 });
    expect(model.status).to.equal('failed');
  });

  it('fails a suite that failed outside its checks and explains why', () => {
    const bodies: RunEventBody[] = [
      runBegin(),
      ...suite('sessions', [['sticky', 'passed']]).slice(0, -1),
      { kind: 'suite.end', suite: 'sessions', status: 'failed', ms: 10 },
      runEnd('failed', 1),
    ];
    const found = buildModel(stamp(bodies)).suites[0];
    expect(found?.status).to.equal('failed');
    expect(found?.error?.message).to.match(/outside its checks/);
  });

  it('ties trials, waits and artifacts to the check that was running', () => {
    const bodies: RunEventBody[] = [
      runBegin({ floorMs: 30_000 }),
      { kind: 'suite.begin', suite: 'recovery', title: 'Recovery' },
      { kind: 'test.begin', suite: 'recovery', test: 'node down' },
      trial('worker-node-down', 1, 200_000),
      { kind: 'wait.done', what: 'node NotReady', ok: true, observed: 'NotReady', elapsedMs: 40_000 },
      { kind: 'test.end', suite: 'recovery', test: 'node down', status: 'passed', ms: 9 },
      { kind: 'artifact', suite: 'recovery', test: 'node down', path: 'artifacts/a.txt', contentType: 'text/plain', title: 'A' },
      { kind: 'artifact', path: 'artifacts/cluster.tgz', contentType: 'application/gzip', title: 'Cluster logs' },
      trial('worker-node-down', 2, 400_000),
      { kind: 'suite.end', suite: 'recovery', status: 'passed', ms: 10 },
      runEnd('passed', 0),
    ];
    const model = buildModel(stamp(bodies));
    const check = model.suites[0]?.checks[0];
    expect(check?.trials.map((t) => t.trial)).to.deep.equal([1]);
    expect(check?.waits[0]?.what).to.equal('node NotReady');
    expect(check?.evidence.map((e) => e.path)).to.deep.equal(['artifacts/a.txt']);
    expect(model.evidence.map((e) => e.path)).to.deep.equal(['artifacts/cluster.tgz']);
    expect(model.trials.map((t) => t.check ?? null)).to.deep.equal(['recovery/node down', null]);
    expect(model.floorMs).to.equal(30_000);
    // Trial 2 was recorded outside any check and missed its SLO: nothing else judges it, so the run fails.
    expect(model.status).to.equal('failed');
  });

  it('passes a run only when run.end says passed and nothing failed', () => {
    const ok = [runBegin(), ...suite('smoke', [['a', 'passed']])];
    expect(buildModel(stamp([...ok, runEnd('passed', 0)])).status).to.equal('passed');
    expect(buildModel(stamp([...ok, runEnd('error', 3)])).status).to.equal('failed');
    expect(buildModel(stamp([...ok, runEnd('interrupted', 130)])).status).to.equal('failed');
  });
});
