import { expect } from 'chai';
import { limit } from './limit.ts';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('limit', () => {
  it('runs at most `concurrency` tasks at once, in arrival order', async () => {
    const slot = limit(2);
    const started: number[] = [];
    const release: (() => void)[] = [];
    const task = (n: number) => () => {
      started.push(n);
      return new Promise<number>((resolve) => release.push(() => resolve(n)));
    };
    const results = [1, 2, 3, 4].map((n) => slot(task(n)));
    await tick();
    expect(started).to.deep.equal([1, 2]);
    release.shift()?.();
    await tick();
    await tick();
    expect(started).to.deep.equal([1, 2, 3]);
    while (release.length > 0) {
      release.shift()?.();
      await tick();
      await tick();
    }
    expect(await Promise.all(results)).to.deep.equal([1, 2, 3, 4]);
  });

  it('frees the slot of a task that rejects or throws synchronously', async () => {
    const slot = limit(1);
    const failing = slot(() => Promise.reject(new Error('boom')));
    const throwing = slot(() => {
      throw new Error('sync');
    });
    const after = slot(() => Promise.resolve('ran'));
    expect(await failing.catch((error: Error) => error.message)).to.equal('boom');
    expect(await throwing.catch((error: Error) => error.message)).to.equal('sync');
    expect(await after).to.equal('ran');
  });

  it('treats a concurrency below 1 as 1', async () => {
    const slot = limit(0);
    expect(await slot(() => Promise.resolve(7))).to.equal(7);
  });
});
