import { expect } from 'chai';
import { LIST_WORKERS_COMMAND, queueConsumers, rqWorkers, type RqWorker } from './rq-workers.ts';

describe('rqWorkers', () => {
  it('runs the listing in the pod and reads its last JSON line', async () => {
    const seen: (readonly string[])[] = [];
    const workers = await rqWorkers((command) => {
      seen.push(command);
      return Promise.resolve('a warning\n[{"name": "w1", "hostname": "rq-worker-a", "queues": ["other-queue"]}, {"name": 5}]\n');
    });
    expect(seen).to.deep.equal([LIST_WORKERS_COMMAND]);
    expect(seen[0]?.slice(0, 2)).to.deep.equal(['python3', '-c']);
    expect(workers).to.deep.equal([
      { name: 'w1', hostname: 'rq-worker-a', queues: ['other-queue'] },
      { name: '', hostname: '', queues: [] },
    ]);
  });

  it('fails with what was printed when it is not a JSON list', async () => {
    const error = await rqWorkers(() => Promise.resolve('{"error": "x"}')).catch((e: unknown) => e);
    expect(String(error)).to.match(/no JSON list \(got: \{"error": "x"\}\)/);
  });
});

describe('queueConsumers', () => {
  const pods = ['rq-worker-a', 'rq-worker-b'];
  const worker = (hostname: string, ...queues: string[]): RqWorker => ({ name: hostname, hostname, queues });

  it('counts the worker pods consuming the queue', () => {
    expect(queueConsumers('q', [worker('rq-worker-a', 'q'), worker('rq-worker-b', 'q'), worker('gone', 'q')], pods)).to.equal('2 of 2 worker pods consume queue q');
  });

  it('names the queues the worker pods listen on instead', () => {
    const workers = [worker('rq-worker-a', 'other-queue'), worker('rq-worker-b', 'other-queue', 'more'), worker('elsewhere', 'q')];
    expect(queueConsumers('q', workers, pods)).to.equal('no worker consumes queue q (workers listen on: more, other-queue)');
  });

  it('says when no worker pod is registered at all', () => {
    expect(queueConsumers('q', [], pods)).to.equal('no worker consumes queue q (no RQ worker of the 2 worker pods is registered in Redis)');
  });
});
