import { join } from 'node:path';
import { expect } from 'chai';
import type Mocha from 'mocha';
import type { Cluster } from '../cluster/types.ts';
import type { Kube } from '../k8s/client.ts';
import { projectRoot } from '../paths.ts';
import { createBus, type EventBus } from '../report/bus.ts';
import type { RunEvent } from '../report/events.ts';
import type { Stack } from '../stack/types.ts';
import { harness, type HarnessContext } from '../suite.ts';
import { backstopTimeout, runSuites, specFiles } from './mocha-runner.ts';

const fixtureSuites = join(projectRoot, 'fixtures', 'specs');
const timeouts = { provision: 1000, deploy: 1000, ready: 1000, workflow: 1000, chaos: 1000, load: 1000, cleanup: 1000 };

function fakeContext(bus: EventBus, signal = new AbortController().signal): HarnessContext {
  const cluster = { name: 'fake', provider: 'existing', disposable: false } as unknown as Cluster;
  const stack = { spec: { name: 'openms', namespace: 'mip-verify-openms' } } as unknown as Stack;
  return { cluster, stack, kube: {} as Kube, config: { trials: 1, sloMs: 1, floorMs: 1, timeouts }, bus, signal, runDir: '/tmp/run' };
}

const summary = (events: readonly RunEvent[]): string[] =>
  events.flatMap((e) => {
    if (e.kind === 'suite.end') return [`suite ${e.suite} ${e.status}${e.reason ? ` (${e.reason})` : ''}`];
    if (e.kind === 'test.end') return [`${e.suite}/${e.test} ${e.status}${e.reason ? ` (${e.reason})` : ''}`];
    if (e.kind === 'teardown') return [`teardown ${e.title} ${e.status}`];
    return [];
  });

describe('runSuites', () => {
  it('lists the spec files of the chosen suite folders in order', async () => {
    const files = await specFiles(fixtureSuites, ['beta', 'alpha', 'missing']);
    expect(files.map((f) => f.slice(fixtureSuites.length + 1))).to.deep.equal(['beta/beta.spec.ts', 'alpha/alpha.spec.ts']);
  });

  it('runs the specs with the harness and turns them into run events', async () => {
    const bus = createBus({});
    const result = await runSuites({ suites: ['alpha', 'beta'], context: fakeContext(bus), suitesDir: fixtureSuites });
    expect(result.failures).to.equal(1);
    expect(summary(bus.events)).to.deep.equal([
      'alpha/adds up passed',
      'teardown stop the port-forward failed',
      'teardown remove the scratch namespace passed',
      'alpha/finds the thing failed',
      'alpha/drives load with k6 skipped (k6 is not installed)',
      'suite alpha failed',
      'beta/a worker node goes down skipped (the cluster cannot stop nodes)',
      'beta/the control plane goes down skipped (the cluster cannot stop nodes)',
      'suite beta skipped (the cluster cannot stop nodes)',
    ]);
  });

  it('records steps, waits and metrics against the running check', async () => {
    const bus = createBus({});
    await runSuites({ suites: ['alpha'], context: fakeContext(bus), suitesDir: fixtureSuites });
    const steps = bus.events.filter((e) => e.kind === 'step.end');
    expect(steps.map((s) => [s.test, s.title, s.status])).to.deep.equal([
      ['adds up', 'one plus one is two', 'passed'],
      ['adds up', 'the counter reaches 2', 'passed'],
      ['finds the thing', 'the thing exists', 'failed'],
    ]);
    expect(steps[2]).to.have.nested.property('error.message', 'the thing is missing');
    expect(bus.events.find((e) => e.kind === 'wait.attempt')).to.include({ what: 'the counter to reach 2', attempt: 1, observed: '1' });
    expect(bus.events.find((e) => e.kind === 'wait.done')).to.include({ what: 'the counter to reach 2', ok: true, observed: '2' });
    expect(bus.events.find((e) => e.kind === 'metric')).to.include({ suite: 'alpha', test: 'adds up', name: 'sum', value: 2 });
  });

  it('loads the specs afresh on every run and leaves no harness behind', async () => {
    for (const _ of [1, 2]) {
      const bus = createBus({});
      await runSuites({ suites: ['alpha'], context: fakeContext(bus), suitesDir: fixtureSuites });
      expect(bus.events.filter((e) => e.kind === 'test.end')).to.have.length(3);
    }
    expect(() => harness({} as Mocha.Suite).cluster).to.throw(/no run is active/);
  });

  it('stops after the running test when the run signal aborts', async () => {
    const controller = new AbortController();
    const bus = createBus({ sinks: [(e) => (e.kind === 'wait.attempt' ? controller.abort() : undefined)] });
    const started = Date.now();
    await runSuites({ suites: ['gamma'], context: fakeContext(bus, controller.signal), suitesDir: fixtureSuites });
    expect(Date.now() - started).to.be.below(5000);
    expect(summary(bus.events)).to.deep.equal(['gamma/waits for what never comes failed', 'suite gamma failed']);
    expect(bus.events.find((e) => e.kind === 'wait.done')).to.include({ ok: false });
  });

  it("sets mocha's own timeout above the sum of the harness budgets", () => {
    expect(backstopTimeout(timeouts)).to.be.above(7000);
  });
});
