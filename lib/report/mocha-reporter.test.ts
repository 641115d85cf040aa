import { expect } from 'chai';
import Mocha from 'mocha';
import type { RunEventBody } from './events.ts';
import { MochaEventReporter, toEventError, type CurrentCheck } from './mocha-reporter.ts';

interface Recorded {
  events: RunEventBody[];
  currents: (string | undefined)[];
}

/** Runs an in-memory mocha suite tree through the reporter and returns what it emitted. */
async function report(build: (root: Mocha.Suite, reasons: Map<Mocha.Runnable, string>) => void): Promise<Recorded> {
  const recorded: Recorded = { events: [], currents: [] };
  const reasons = new Map<Mocha.Runnable, string>();
  const mocha = new Mocha({
    reporter: MochaEventReporter,
    reporterOptions: {
      bus: { emit: (body: RunEventBody) => recorded.events.push(body) },
      onCurrent: (current: CurrentCheck | undefined) => recorded.currents.push(current?.test),
      skipReason: (runnable: Mocha.Runnable) => reasons.get(runnable),
    },
  });
  build(mocha.suite, reasons);
  await new Promise<number>((resolve) => mocha.run(resolve));
  mocha.dispose();
  return recorded;
}

const brief = (events: RunEventBody[]): string[] =>
  events.map((e) => {
    if (e.kind === 'suite.begin') return `${e.kind} ${e.suite}`;
    if (e.kind === 'suite.end') return `${e.kind} ${e.suite} ${e.status}`;
    if (e.kind === 'test.begin') return `${e.kind} ${e.suite}/${e.test}`;
    if (e.kind === 'test.end') return `${e.kind} ${e.suite}/${e.test} ${e.status}${e.reason ? ` (${e.reason})` : ''}`;
    return e.kind;
  });

describe('MochaEventReporter', () => {
  it('turns passing, failing and skipped tests into test events with errors and skip reasons', async () => {
    const { events } = await report((root, reasons) => {
      const smoke = Mocha.Suite.create(root, 'smoke');
      smoke.addTest(new Mocha.Test('every node is Ready', () => undefined));
      smoke.addTest(
        new Mocha.Test('the health endpoint answers', () => {
          throw new TypeError('HTTP 503 from /_stcore/health');
        }),
      );
      smoke.addTest(
        new Mocha.Test('k6 drives the load', function (this: Mocha.Context) {
          reasons.set(this.runnable(), 'k6 is not installed');
          this.skip();
        }),
      );
    });
    expect(brief(events)).to.deep.equal([
      'suite.begin smoke',
      'test.begin smoke/every node is Ready',
      'test.end smoke/every node is Ready passed',
      'test.begin smoke/the health endpoint answers',
      'test.end smoke/the health endpoint answers failed',
      'test.begin smoke/k6 drives the load',
      'test.end smoke/k6 drives the load skipped (k6 is not installed)',
      'suite.end smoke failed',
    ]);
    const failed = events.find((e) => e.kind === 'test.end' && e.status === 'failed');
    expect(failed).to.have.property('error').that.includes({ message: 'HTTP 503 from /_stcore/health', name: 'TypeError' });
    expect(failed).to.have.nested.property('error.stack').that.is.a('string');
    const ended = events.filter((e) => e.kind === 'test.end');
    ended.forEach((e) => expect(e.ms).to.be.a('number').and.at.least(0));
  });

  it('counts a failed hook as a failed check named after the hook, and the tests it guarded as not run', async () => {
    const { events } = await report((root) => {
      const chaos = Mocha.Suite.create(root, 'chaos');
      chaos.beforeAll('connect to the cluster', () => {
        throw new Error('no cluster');
      });
      chaos.addTest(new Mocha.Test('a pod is killed', () => undefined));
      const cleanup = Mocha.Suite.create(root, 'cleanup');
      cleanup.beforeEach('seed workspaces', () => {
        throw new Error('cannot seed');
      });
      cleanup.addTest(new Mocha.Test('stale workspaces go', () => undefined));
    });
    expect(brief(events)).to.deep.equal([
      'suite.begin chaos',
      'test.begin chaos/"before all" hook: connect to the cluster',
      'test.end chaos/"before all" hook: connect to the cluster failed',
      'suite.end chaos failed',
      'suite.begin cleanup',
      'test.begin cleanup/stale workspaces go',
      'test.end cleanup/stale workspaces go skipped (not run: "before each" hook: seed workspaces for "stale workspaces go" failed)',
      'test.begin cleanup/"before each" hook: seed workspaces for "stale workspaces go"',
      'test.end cleanup/"before each" hook: seed workspaces for "stale workspaces go" failed',
      'suite.end cleanup failed',
    ]);
  });

  it('records the reason a before-all hook gave for skipping its whole suite', async () => {
    const { events } = await report((root, reasons) => {
      const recovery = Mocha.Suite.create(root, 'recovery');
      recovery.beforeAll('needs node faults', function (this: Mocha.Context) {
        reasons.set(this.runnable(), 'the existing cluster cannot stop nodes');
        this.skip();
      });
      recovery.addTest(new Mocha.Test('worker node down', () => undefined));
    });
    expect(brief(events)).to.deep.equal([
      'suite.begin recovery',
      'test.begin recovery/worker node down',
      'test.end recovery/worker node down skipped (the existing cluster cannot stop nodes)',
      'suite.end recovery skipped',
    ]);
    expect(events.at(-1)).to.include({ reason: 'the existing cluster cannot stop nodes' });
  });

  it('names checks below the top-level describe and tells the harness which check runs', async () => {
    const { events, currents } = await report((root) => {
      const sessions = Mocha.Suite.create(root, 'sessions');
      const sticky = Mocha.Suite.create(sessions, 'with affinity');
      sticky.addTest(new Mocha.Test('each session stays on one pod', () => undefined));
    });
    expect(brief(events)).to.include('test.end sessions/with affinity › each session stays on one pod passed');
    expect(currents).to.include('with affinity › each session stays on one pod');
    expect(currents.at(-1)).to.equal(undefined);
  });

  it('refuses to run without a bus', () => {
    const mocha = new Mocha({ reporter: MochaEventReporter });
    expect(() => mocha.run()).to.throw(/reporterOptions\.bus/);
  });

  it('serialises any thrown value', () => {
    expect(toEventError('plain text')).to.deep.equal({ message: 'plain text', name: 'Error' });
    expect(toEventError(new RangeError('too far'))).to.include({ message: 'too far', name: 'RangeError' });
  });
});
