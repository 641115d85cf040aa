import { expect } from 'chai';
import type { Submission } from '../../lib/load/gateway.ts';
import { jobRow, jobsPerWorker, loadProblems, throughput, type JobRow, type JobStatusFields } from './outcomes.ts';

const submission = (n: number): Submission => ({
  workspace: `ws-${n}`,
  jobId: `job-${n}`,
  requestedAt: '2026-11-22T10:00:00.000Z',
  submitMs: 1500,
});

const finished = (worker: string, enqueued: string, ended: string): JobStatusFields => ({
  status: 'finished',
  enqueued_at: enqueued,
  started_at: enqueued,
  ended_at: ended,
  worker_host: worker,
});

const row = (n: number, status: JobStatusFields, problems: string[] = []): JobRow => jobRow(submission(n), status, problems);

describe('jobRow', () => {
  it('takes the worker from the result and RQ timestamps from the status', () => {
    expect(row(1, finished('rq-worker-a', '2026-11-22T10:00:01', '2026-11-22T10:00:09'))).to.deep.equal({
      workspace: 'ws-1',
      jobId: 'job-1',
      requestedAt: '2026-11-22T10:00:00.000Z',
      submitMs: 1500,
      status: 'finished',
      worker: 'rq-worker-a',
      enqueuedAt: '2026-11-22T10:00:01',
      startedAt: '2026-11-22T10:00:01',
      endedAt: '2026-11-22T10:00:09',
      problems: [],
    });
    expect(row(2, { status: 'queued', worker_host: null })).to.include({ worker: null, enqueuedAt: null, endedAt: null });
  });
});

describe('jobsPerWorker', () => {
  it('counts finished jobs per worker, busiest first', () => {
    const rows = [
      row(1, finished('b', '2026-11-22T10:00:00', '2026-11-22T10:00:05')),
      row(2, finished('a', '2026-11-22T10:00:00', '2026-11-22T10:00:05')),
      row(3, finished('b', '2026-11-22T10:00:00', '2026-11-22T10:00:05')),
      row(4, { status: 'failed', worker_host: 'c' }),
    ];
    expect(jobsPerWorker(rows)).to.deep.equal([
      ['b', 2],
      ['a', 1],
    ]);
  });
});

describe('throughput', () => {
  it('divides finished jobs by the span from the first enqueue to the last end', () => {
    const rows = [
      row(1, finished('a', '2026-11-22T10:00:00', '2026-11-22T10:00:20')),
      row(2, finished('b', '2026-11-22T10:00:10+00:00', '2026-11-22T10:00:30+00:00')),
      row(3, { status: 'queued', enqueued_at: '2026-11-22T09:00:00' }),
    ];
    expect(throughput(rows)).to.deep.equal({ jobs: 2, spanMs: 30_000, perMinute: 4 });
  });

  it('is undefined when no job finished', () => {
    expect(throughput([row(1, { status: 'queued' })])).to.equal(undefined);
  });
});

describe('loadProblems', () => {
  const expectation = { submissions: 3, failures: [] };

  it('is empty when every job was submitted and is correct', () => {
    const rows = [1, 2, 3].map((n) => row(n, finished('a', '2026-11-22T10:00:00', '2026-11-22T10:00:05')));
    expect(loadProblems(rows, expectation)).to.deep.equal([]);
  });

  it('says in one sentence that jobs never left the queue, with the reason and some job ids', () => {
    const rows = [1, 2, 3, 4, 5].map((n) => row(n, { status: 'queued' }, ['not finished', 'no markers']));
    const reason = 'no worker consumes queue q (workers listen on: other-queue)';
    expect(loadProblems(rows, { submissions: 5, failures: [], queuedReason: reason })).to.deep.equal([
      "5 of 5 jobs never left 'queued': no worker consumes queue q (workers listen on: other-queue) (jobs job-1, job-2, job-3 and 2 more)",
    ]);
  });

  it('names the submissions that failed and the problems of single jobs, up to a limit', () => {
    const rows = [
      row(1, { status: 'failed' }, ['RQ status is failed', 'no markers']),
      row(2, finished('a', 'x', 'y'), ['results missing']),
    ];
    const failures = [
      { call: 'submit', error: 'no Ready web pod' },
      { call: 'status ws-1', error: 'timeout' },
    ];
    expect(loadProblems(rows, { submissions: 3, failures, maxJobLines: 2 })).to.deep.equal([
      'only 2 of 3 submissions were accepted: no Ready web pod',
      'job job-1: RQ status is failed',
      'job job-1: no markers',
      '... and 1 more problems (see the per-job table)',
    ]);
  });
});
