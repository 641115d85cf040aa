import { expect } from 'chai';
import { statusOf } from '../../fixtures/support/workflow-status.ts';
import { ConditionFailedError } from '../wait.ts';
import type { RqWorker } from './openms.ts';
import { jobStarted, workersRegistered, workflowEnded, workflowsEnded } from './openms-conditions.ts';

const signal = new AbortController().signal;

describe('drivers/openms-conditions', () => {
  describe('workflowEnded', () => {
    it('holds once RQ reports an end (or forgot the job), and shows the current step while it runs', async () => {
      const running = workflowEnded({ status: () => Promise.resolve(statusOf({ current_step: 'FeatureFinder' })) }, 'ws-1');
      expect(running.what).to.equal('the workflow of workspace ws-1 to end');
      expect(await running.check(signal)).to.include({ ok: false, observed: 'started (FeatureFinder)' });
      for (const status of ['finished', 'failed', 'unknown']) {
        const seen = await workflowEnded({ status: () => Promise.resolve(statusOf({ status })) }, 'ws-1').check(signal);
        expect([seen.ok, seen.observed]).to.deep.equal([true, status]);
      }
    });

    it('asks the pod it is given', async () => {
      const pods: (string | undefined)[] = [];
      const driver = {
        status: (_workspace: string, call?: { pod?: string }) => {
          pods.push(call?.pod);
          return Promise.resolve(statusOf({ status: 'finished' }));
        },
      };
      await workflowEnded(driver, 'ws-1', 'streamlit-b').check(signal);
      expect(pods).to.deep.equal(['streamlit-b']);
    });
  });

  describe('jobStarted', () => {
    it('holds once a worker runs the job', async () => {
      const seen = await jobStarted({ status: () => Promise.resolve(statusOf({ status: 'started', worker: 'w-1' })) }, 'ws-1').check(
        signal,
      );
      expect([seen.ok, seen.observed]).to.deep.equal([true, 'started on w-1']);
    });

    it('waits while the job is queued', async () => {
      const seen = await jobStarted({ status: () => Promise.resolve(statusOf({ status: 'queued', worker: null })) }, 'ws-1').check(signal);
      expect([seen.ok, seen.observed]).to.deep.equal([false, 'queued']);
    });

    it('gives up at once when the job ended before it was seen started', async () => {
      const driver = { status: () => Promise.resolve(statusOf({ status: 'failed', error: 'Traceback\nFileNotFoundError: params.json' })) };
      const error: unknown = await jobStarted(driver, 'ws-1')
        .check(signal)
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ConditionFailedError);
      expect((error as Error).message).to.equal(
        "job job-1 of workspace ws-1 ended 'failed' before it was seen started on a worker: FileNotFoundError: params.json",
      );
    });
  });

  it('workersRegistered holds once every pod has an RQ worker, on whatever queue', async () => {
    const registered: RqWorker[] = [{ name: 'a', hostname: 'pod-a', queues: ['other'] }];
    const driver = { workers: () => Promise.resolve(registered) };
    const condition = workersRegistered(driver, ['pod-a', 'pod-b']);
    expect(condition.what).to.equal('an RQ worker registered in Redis for each of pod-a, pod-b');
    expect(await condition.check(signal)).to.include({ ok: false, observed: '1/2 registered' });
    registered.push({ name: 'b', hostname: 'pod-b', queues: ['mzml_workflow_run'] });
    expect(await condition.check(signal)).to.include({ ok: true, observed: '2/2 registered' });
  });

  it('workflowsEnded holds once every status read has ended', async () => {
    const reads = [
      [statusOf({ status: 'finished' }), statusOf({ status: 'started' })],
      [statusOf({ status: 'finished' }), statusOf({ status: 'failed' })],
    ];
    const condition = workflowsEnded(() => Promise.resolve(reads.shift() ?? []), 2);
    expect(condition.what).to.equal('each of the 2 jobs to end');
    expect(await condition.check(signal)).to.include({ ok: false, observed: '1/2 ended' });
    expect(await condition.check(signal)).to.include({ ok: true, observed: '2/2 ended' });
  });
});
