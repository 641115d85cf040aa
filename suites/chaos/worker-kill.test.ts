import { ApiException } from '@kubernetes/client-node';
import { expect } from 'chai';
import type { QueueState, WorkflowStatus } from '../../lib/drivers/openms.ts';
import { rqTimings } from '../../lib/drivers/rq-timings.ts';
import { waitFor } from '../../lib/wait.ts';
import type { Harness } from '../../lib/suite.ts';
import { killBudget } from './budget.ts';
import { awaitVerdict, crashPod, workerPodOf, type RunningJob } from './worker-kill.ts';

const JOB: RunningJob = { workspace: 'ws-1', jobId: 'job-1', worker: 'w-old', pod: 'rq-worker-abc' };
const signal = new AbortController().signal;
/** The harness's wait without its events, and with short pauses. */
const h: Pick<Harness, 'waitFor'> = {
  waitFor: (condition, options) => waitFor(condition, { within: Number(options.within), interval: 5 }),
};

function status(fields: Partial<WorkflowStatus>): WorkflowStatus {
  const log = { started: true, finished: false, cancelled: false, error: false, outcome: 'none' as const };
  return { workspace: 'ws-1', job_id: 'job-1', status: 'started', running: true, worker: 'w-old', log, results: [], pids: [], ...fields };
}

/** An objective of `objectiveMs`, with flags that meet it (the unit tests shrink RQ's seconds to milliseconds). */
function budgetOf(objectiveMs: number): ReturnType<typeof killBudget> {
  return { ...killBudget(rqTimings(undefined), 300), objectiveS: objectiveMs / 1000, totalS: objectiveMs / 2000 };
}

describe('chaos/worker-kill', () => {
  it('times the verdict from the kill, with the gap since the last stuck look as precision', async () => {
    const replies = [status({}), status({}), status({ status: 'failed', error: 'due to AbandonedJobError' })];
    const driver = { status: () => Promise.resolve(replies.shift() ?? status({ status: 'failed' })) };
    let clock = 1_000;
    const verdict = await awaitVerdict(h, driver, { job: JOB, killedAt: 1_000, budget: budgetOf(60_000) }, () => (clock += 500));
    expect(verdict.outcome).to.deep.equal({ kind: 'failed', error: 'AbandonedJobError' });
    expect(verdict.status.status).to.equal('failed');
    expect(verdict.killToVerdictMs).to.be.greaterThan(0);
    expect(verdict.precisionMs).to.equal(500);
  });

  it('fails a job still started at the objective, naming job, pod, objective and bound', async () => {
    const driver = { status: () => Promise.resolve(status({})) };
    const killedAt = performance.now();
    const error: unknown = await awaitVerdict(h, driver, { job: JOB, killedAt, budget: budgetOf(300) }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.match(
      /^job job-1 still 'started' \d+ms after worker pod rq-worker-abc was killed, past the objective of 300ms: RQ never declared it abandoned although its flags imply at most 150ms = heartbeat TTL 90s/,
    );
  });

  it('finds the worker pod of the job, or says which workers RQ listed', async () => {
    const queue: QueueState = {
      queue: 'q',
      app_queue_available: true,
      queued: 0,
      started: 1,
      finished: 0,
      failed: 0,
      workers: [{ name: 'w-old', hostname: 'rq-worker-abc', state: 'busy', current_job: 'job-1', successful: 0, failed: 0 }],
    };
    const driver = { queue: () => Promise.resolve(queue) };
    expect(await workerPodOf(driver, { workspace: 'ws-1', jobId: 'job-1', worker: 'w-old' }, signal)).to.deep.equal(JOB);
    const missing: unknown = await workerPodOf(driver, { workspace: 'ws-1', jobId: 'job-2', worker: 'w-x' }, signal).catch(
      (e: unknown) => e,
    );
    expect((missing as Error).message).to.equal(
      'no RQ worker runs job job-2 (its worker name: w-x; workers: w-old@rq-worker-abc (job job-1))',
    );
  });

  it('kills a pod with no grace period, and refuses a pod that is already gone', async () => {
    const asked: unknown[] = [];
    const kube = {
      core: {
        deleteNamespacedPod: (request: unknown) => {
          asked.push(request);
          return asked.length === 1 ? Promise.resolve({}) : Promise.reject(new ApiException(404, 'not found', {}, {}));
        },
      },
    } as unknown as Parameters<typeof crashPod>[0];
    const mark = await crashPod(kube, 'ns', 'rq-worker-abc', signal);
    expect(mark.wallMs).to.be.closeTo(Date.now(), 1_000);
    expect(mark.callMs).to.be.at.least(1);
    expect(asked[0]).to.deep.equal({ name: 'rq-worker-abc', namespace: 'ns', gracePeriodSeconds: 0 });
    const gone: unknown = await crashPod(kube, 'ns', 'rq-worker-abc', signal).catch((e: unknown) => e);
    expect((gone as Error).message).to.equal('pod rq-worker-abc was already gone when it was to be killed');
  });
});
