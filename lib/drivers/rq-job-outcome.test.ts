import { expect } from 'chai';
import { statusOf } from '../../fixtures/support/workflow-status.ts';
import type { QueueWorker, WorkflowStatus } from './openms.ts';
import { describeOutcome, jobLeftStarted, jobOutcome, podOfJob, rqEndedAt, rqErrorName } from './rq-job-outcome.ts';

function worker(fields: Partial<QueueWorker>): QueueWorker {
  return { name: 'w', hostname: 'pod', state: 'busy', current_job: null, successful: 0, failed: 0, ...fields };
}

const ABANDONED = 'Moved to FailedJobRegistry, due to AbandonedJobError, at 2026-01-01 10:00:00';
const signal = new AbortController().signal;

describe('drivers/rq-job-outcome', () => {
  describe('jobOutcome', () => {
    const cases: [Partial<WorkflowStatus>, string][] = [
      [{ status: 'started', worker: 'w-old' }, 'still started'],
      [{ status: 'started', worker: null }, 'still started'],
      [{ status: 'started', worker: 'w-new' }, 'retried: started again on w-new'],
      [{ status: 'queued' }, 'retried: requeued (queued)'],
      [{ status: 'scheduled' }, 'retried: requeued (scheduled)'],
      [{ status: 'failed', error: ABANDONED }, 'failed (AbandonedJobError)'],
      [{ status: 'failed', error: null }, 'failed (failed)'],
      [{ status: 'canceled' }, 'failed (canceled)'],
      [{ status: 'finished' }, 'finished'],
      [{ status: 'unknown' }, 'unknown to Redis'],
      [{ status: 'idle' }, 'still started'],
    ];
    for (const [fields, expected] of cases) {
      it(`${fields.status ?? ''}${'worker' in fields ? ` on ${fields.worker ?? 'no worker'}` : ''} → ${expected}`, () => {
        expect(describeOutcome(jobOutcome(statusOf(fields), 'w-old'))).to.equal(expected);
      });
    }
  });

  it('names the last exception class of an RQ exc string', () => {
    expect(rqErrorName(ABANDONED)).to.equal('AbandonedJobError');
    expect(rqErrorName('Traceback ...\nKeyError: x\nraise RuntimeError("boom")\nworkflow.StepFailedError: step 2')).to.equal(
      'StepFailedError',
    );
    expect(rqErrorName('no class here')).to.equal(undefined);
    expect(rqErrorName(null)).to.equal(undefined);
  });

  it('finds the pod of a job by worker name, else by current job', () => {
    const workers = [
      worker({ name: 'a', hostname: 'pod-a', current_job: 'job-9' }),
      worker({ name: 'b', hostname: 'pod-b', current_job: 'job-1' }),
    ];
    expect(podOfJob({ workers }, { jobId: 'job-1', worker: 'a' })).to.equal('pod-a');
    expect(podOfJob({ workers }, { jobId: 'job-1', worker: 'gone' })).to.equal('pod-b');
    expect(podOfJob({ workers }, { jobId: 'job-7', worker: null })).to.equal(undefined);
  });

  it('jobLeftStarted reports the outcome once the job is out of started', async () => {
    const statuses = [statusOf({ status: 'started' }), statusOf({ status: 'failed', error: ABANDONED })];
    const driver = { status: () => Promise.resolve(statuses.shift() ?? statusOf({})) };
    const condition = jobLeftStarted(driver, { workspace: 'ws-1', jobId: 'job-1', killedWorker: 'w-old' });
    expect(condition.what).to.equal("job job-1 to leave 'started' after its worker w-old was killed");
    const first = await condition.check(signal);
    const second = await condition.check(signal);
    expect([first.ok, first.observed]).to.deep.equal([false, 'started']);
    expect([second.ok, second.observed, second.value?.outcome]).to.deep.equal([
      true,
      'failed (AbandonedJobError)',
      { kind: 'failed', error: 'AbandonedJobError' },
    ]);
  });
});

describe('drivers/rq-job-outcome rqEndedAt', () => {
  it('reads a zoned ended_at first', () => {
    expect(rqEndedAt({ ended_at: '2026-11-22T16:03:56.376420+00:00', error: null })).to.equal(Date.parse('2026-11-22T16:03:56.376Z'));
  });

  it('falls back to the time in the exc string of an abandoned job', () => {
    const error = 'Moved to FailedJobRegistry, due to AbandonedJobError, at 2026-11-22 16:03:56.376420+00:00';
    expect(rqEndedAt({ ended_at: null, error })).to.equal(Date.parse('2026-11-22T16:03:56.376Z'));
  });

  it('ignores times without a zone', () => {
    expect(rqEndedAt({ ended_at: '2026-11-22T16:03:56', error: 'at 2026-11-22 16:03:56' })).to.equal(undefined);
  });
});
