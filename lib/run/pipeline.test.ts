import { expect } from 'chai';
import { HarnessError } from '../errors.ts';
import { runPipeline, type Task } from './pipeline.ts';
import { Teardown } from './teardown.ts';

type Log = string[];

function task(name: string, options: { fail?: boolean; abort?: AbortController; hang?: boolean; timeoutMs?: number } = {}): Task<Log> {
  return {
    phase: name,
    title: `Doing ${name}`,
    timeoutMs: options.timeoutMs,
    setup: async (log) => {
      log.push(`setup ${name}`);
      options.abort?.abort();
      if (options.hang) await new Promise(() => undefined);
      if (options.fail) throw new Error(`${name} broke halfway`);
    },
    teardown: (log) => {
      log.push(`teardown ${name}`);
      return Promise.resolve();
    },
  };
}

async function run(tasks: Task<Log>[], signal = new AbortController().signal) {
  const log: Log = [];
  const result = await runPipeline(tasks, log, {
    teardown: new Teardown(),
    signal,
    onBegin: (t) => log.push(`begin ${t.phase}`),
    onEnd: (t, outcome) => log.push(`end ${t.phase} ${outcome.status}`),
    beforeTeardown: (r) => {
      log.push(`before teardown (${r.status})`);
      return Promise.resolve();
    },
  });
  return { log, result };
}

describe('runPipeline', () => {
  it('runs setups in order, then beforeTeardown, then teardowns last in first out', async () => {
    const { log, result } = await run([task('a'), task('b'), task('c')]);
    expect(result.status).to.equal('passed');
    expect(log).to.deep.equal([
      'begin a',
      'setup a',
      'end a passed',
      'begin b',
      'setup b',
      'end b passed',
      'begin c',
      'setup c',
      'end c passed',
      'before teardown (passed)',
      'teardown c',
      'teardown b',
      'teardown a',
    ]);
  });

  it('still tears down a task whose setup threw halfway, and runs no later task', async () => {
    const { log, result } = await run([task('a'), task('b', { fail: true }), task('c')]);
    expect(result).to.include({ status: 'failed', phase: 'b' });
    expect(result.error?.message).to.equal('b broke halfway');
    expect(log).to.not.include('setup c');
    expect(log.slice(-3)).to.deep.equal(['before teardown (failed)', 'teardown b', 'teardown a']);
  });

  it('stops at the next boundary when the run signal aborts, and still tears down', async () => {
    const controller = new AbortController();
    const { log, result } = await run([task('a', { abort: controller }), task('b'), task('c')], controller.signal);
    expect(result).to.include({ status: 'interrupted', phase: 'b' });
    expect(log).to.not.include('setup b');
    expect(log.slice(-2)).to.deep.equal(['before teardown (interrupted)', 'teardown a']);
  });

  it('interrupts a setup that ignores its signal as soon as the run aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const { log, result } = await run([task('a'), task('b', { hang: true })], controller.signal);
    expect(result.status).to.equal('interrupted');
    expect(result.error).to.be.instanceOf(HarnessError).and.to.have.property('kind', 'interrupted');
    expect(log.slice(-3)).to.deep.equal(['before teardown (interrupted)', 'teardown b', 'teardown a']);
  });

  it('fails a setup past its budget with a timeout error naming the budget', async () => {
    const { result, log } = await run([task('provision', { hang: true, timeoutMs: 30 })]);
    expect(result.status).to.equal('failed');
    expect(result.error).to.be.instanceOf(HarnessError).and.to.have.property('kind', 'timeout');
    expect(result.error?.message).to.equal('Doing provision did not finish within 30ms.');
    expect(log).to.include('teardown provision');
  });
});
