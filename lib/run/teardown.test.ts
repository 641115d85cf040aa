import { expect } from 'chai';
import { HarnessError, toError } from '../errors.ts';
import { TimeoutError } from '../wait.ts';
import { Teardown, isAlreadyGone, type TeardownResult } from './teardown.ts';

/** A teardown action from a synchronous body; a throw becomes a rejection. */
function act(body: () => void): () => Promise<void> {
  return () => {
    try {
      body();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(toError(error));
    }
  };
}

describe('Teardown', () => {
  it('runs actions last in, first out', async () => {
    const order: string[] = [];
    const teardown = new Teardown();
    for (const title of ['cluster', 'namespace', 'port-forward'])
      teardown.defer(
        title,
        act(() => order.push(title)),
      );
    const results = await teardown.run();
    expect(order).to.deep.equal(['port-forward', 'namespace', 'cluster']);
    expect(results.map((r) => [r.title, r.status])).to.deep.equal([
      ['port-forward', 'passed'],
      ['namespace', 'passed'],
      ['cluster', 'passed'],
    ]);
  });

  it('records a failing action and still runs the rest', async () => {
    const order: string[] = [];
    const reported: TeardownResult[] = [];
    const teardown = new Teardown({ onResult: (result) => reported.push(result) });
    teardown.defer(
      'first',
      act(() => order.push('first')),
    );
    teardown.defer(
      'broken',
      act(() => {
        order.push('broken');
        throw new Error('helm uninstall failed');
      }),
    );
    teardown.defer(
      'last',
      act(() => order.push('last')),
    );
    const results = await teardown.run();
    expect(order).to.deep.equal(['last', 'broken', 'first']);
    expect(results[1]).to.include({ title: 'broken', status: 'failed' });
    expect(results[1]?.error?.message).to.equal('helm uninstall failed');
    expect(reported).to.deep.equal(results);
  });

  it('gives up on a hung action at its timeout and goes on', async () => {
    const teardown = new Teardown();
    let next = false;
    let hungSignal: AbortSignal | undefined;
    teardown.defer(
      'after',
      act(() => (next = true)),
    );
    teardown.defer(
      'delete stuck namespace',
      (signal) => {
        hungSignal = signal;
        return new Promise(() => undefined);
      },
      { timeoutMs: 50 },
    );
    const started = performance.now();
    const [hung] = await teardown.run();
    expect(performance.now() - started).to.be.lessThan(1_000);
    expect(hung?.status).to.equal('failed');
    expect(hung?.error).to.be.instanceOf(TimeoutError);
    expect(hung?.error?.message).to.equal('Timed out after 50ms waiting for delete stuck namespace (last seen: still running)');
    expect(hungSignal?.aborted).to.equal(true);
    expect(next).to.equal(true);
  });

  it('counts "already gone" as success', async () => {
    const teardown = new Teardown();
    teardown.defer(
      'delete pod',
      act(() => {
        throw Object.assign(new Error('pods "web-1" not found'), { code: 404 });
      }),
    );
    teardown.defer(
      'uninstall release',
      act(() => {
        throw new HarnessError('tool', 'helm exited with code 1\nError: uninstall: Release not loaded: web: release: not found');
      }),
    );
    const results = await teardown.run();
    expect(results.map((r) => r.status)).to.deep.equal(['passed', 'passed']);
  });

  it('runs at most once, and a second call returns the same results', async () => {
    let calls = 0;
    const teardown = new Teardown();
    teardown.defer(
      'count',
      act(() => (calls += 1)),
    );
    const [first, second] = await Promise.all([teardown.run(), teardown.run()]);
    expect(await teardown.run()).to.equal(first);
    expect(second).to.equal(first);
    expect(calls).to.equal(1);
    expect(() =>
      teardown.defer(
        'late',
        act(() => undefined),
      ),
    ).to.throw(/already started/);
  });

  it('on abort, stops the running action and skips the rest as failed', async () => {
    const controller = new AbortController();
    const ran: string[] = [];
    const teardown = new Teardown();
    teardown.defer(
      'never',
      act(() => ran.push('never')),
    );
    teardown.defer('slow', (signal) => {
      ran.push('slow');
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped'))));
    });
    setTimeout(() => controller.abort(new HarnessError('interrupted', 'second Ctrl-C')), 20);
    const results = await teardown.run(controller.signal);
    expect(ran).to.deep.equal(['slow']);
    expect(results.map((r) => r.status)).to.deep.equal(['failed', 'failed']);
    expect(results[0]?.error?.message).to.equal('second Ctrl-C');
    expect(results[1]?.error?.message).to.equal('Skipped "never": teardown was interrupted');
  });

  it('is an async disposable', async () => {
    let disposed = false;
    {
      await using teardown = new Teardown();
      teardown.defer(
        'dispose',
        act(() => (disposed = true)),
      );
    }
    expect(disposed).to.equal(true);
  });

  it('keeps going when the result callback throws', async () => {
    const teardown = new Teardown({
      onResult: () => {
        throw new Error('sink broke');
      },
    });
    let ran = 0;
    teardown.defer(
      'a',
      act(() => ran++),
    );
    teardown.defer(
      'b',
      act(() => ran++),
    );
    expect(await teardown.run()).to.have.length(2);
    expect(ran).to.equal(2);
  });
});

describe('isAlreadyGone', () => {
  it('treats a missing tool as a real failure', () => {
    expect(isAlreadyGone(new HarnessError('tool', 'kubectl was not found on PATH'))).to.equal(false);
    expect(isAlreadyGone(new Error('not found'))).to.equal(false);
    expect(isAlreadyGone({ code: 404 })).to.equal(true);
  });
});
