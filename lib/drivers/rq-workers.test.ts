import { expect } from 'chai';
import { queueConsumers, rqWorkers, type RqWorker } from './rq-workers.ts';

describe('rqWorkers', () => {
  it("reads the driver's worker list, keeping only string fields", () => {
    expect(rqWorkers([{ name: 'w1', hostname: 'rq-worker-a', queues: ['other-queue'] }, { name: 5 }])).to.deep.equal([
      { name: 'w1', hostname: 'rq-worker-a', queues: ['other-queue'] },
      { name: '', hostname: '', queues: [] },
    ]);
  });

  it('fails with what was given when it is not a list', () => {
    expect(() => rqWorkers({ error: 'x' })).to.throw(/gave no list \(got: \{"error":"x"\}\)/);
  });
});

describe('queueConsumers', () => {
  const pods = ['rq-worker-a', 'rq-worker-b'];
  const worker = (hostname: string, ...queues: string[]): RqWorker => ({ name: hostname, hostname, queues });

  it('counts the worker pods consuming the queue', () => {
    expect(queueConsumers('q', [worker('rq-worker-a', 'q'), worker('rq-worker-b', 'q'), worker('gone', 'q')], pods)).to.equal(
      '2 of 2 worker pods consume queue q',
    );
  });

  it('names the queues the worker pods listen on instead', () => {
    const workers = [worker('rq-worker-a', 'other-queue'), worker('rq-worker-b', 'other-queue', 'more'), worker('elsewhere', 'q')];
    expect(queueConsumers('q', workers, pods)).to.equal('no worker consumes queue q (workers listen on: more, other-queue)');
  });

  it('says when no worker pod is registered at all', () => {
    expect(queueConsumers('q', [], pods)).to.equal('no worker consumes queue q (no RQ worker of the 2 worker pods is registered in Redis)');
  });
});
