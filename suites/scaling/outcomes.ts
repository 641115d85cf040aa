// What became of the jobs of a load run, judged from each job's final status rather than from what the
// load tool saw: one row per job, jobs per worker, throughput, and the problems in a few sentences
// (a stuck queue reads as one sentence, not as nine times four).
import type { GatewayFailure, Submission } from '../../lib/load/gateway.ts';

/** The fields of a job's final status this module reads (RQ's, as the OpenMS driver reports them). */
export interface JobStatusFields {
  /** RQ state. */
  status: string;
  /** When RQ enqueued, started and ended the job (ISO time). */
  enqueued_at?: string | null;
  started_at?: string | null;
  ended_at?: string | null;
  /** The host (pod) of the RQ worker that ran it, from RQ's worker record. */
  worker_host?: string | null;
}

/** One job of the run, for the per-job table. */
export interface JobRow {
  /** Workspace of the job. */
  workspace: string;
  /** RQ job id. */
  jobId: string;
  /** When the submission was requested (ISO time). */
  requestedAt: string;
  /** How long the submission took (ms). */
  submitMs: number;
  /** Final RQ state. */
  status: string;
  /** The host (pod) that ran it, from RQ's worker record; null when unknown. */
  worker: string | null;
  /** RQ's timestamps (ISO time), null when not reached. */
  enqueuedAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  /** What is wrong with the job, one sentence each; empty when it is correct. */
  problems: string[];
}

/** Jobs finished per unit of time over the run. */
export interface Throughput {
  /** Jobs that finished. */
  jobs: number;
  /** From the first enqueue to the last end (ms). */
  spanMs: number;
  /** Finished jobs per minute over that span. */
  perMinute: number;
}

/** The row of one job from its submission, final status and problems. */
export function jobRow(submission: Submission, status: JobStatusFields, problems: readonly string[]): JobRow {
  const host = status.worker_host;
  return {
    workspace: submission.workspace,
    jobId: submission.jobId,
    requestedAt: submission.requestedAt,
    submitMs: submission.submitMs,
    status: status.status,
    worker: typeof host === 'string' && host !== '' ? host : null,
    enqueuedAt: status.enqueued_at ?? null,
    startedAt: status.started_at ?? null,
    endedAt: status.ended_at ?? null,
    problems: [...problems],
  };
}

/** Finished jobs per worker host, busiest first. */
export function jobsPerWorker(rows: readonly JobRow[]): [worker: string, jobs: number][] {
  const counts = new Map<string, number>();
  for (const row of rows) if (row.status === 'finished' && row.worker) counts.set(row.worker, (counts.get(row.worker) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

// RQ may write naive UTC timestamps (no offset); read them as UTC, not as local time.
function instant(iso: string | null): number {
  if (!iso) return NaN;
  return Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
}

/** Finished jobs per minute from the first enqueue to the last end; undefined when no job finished. */
export function throughput(rows: readonly JobRow[]): Throughput | undefined {
  const finished = rows.filter((row) => row.status === 'finished');
  const starts = finished.map((row) => instant(row.enqueuedAt)).filter(Number.isFinite);
  const ends = finished.map((row) => instant(row.endedAt)).filter(Number.isFinite);
  if (starts.length === 0 || ends.length === 0) return undefined;
  const spanMs = Math.max(...ends) - Math.min(...starts);
  return { jobs: finished.length, spanMs, perMinute: spanMs > 0 ? (finished.length * 60_000) / spanMs : 0 };
}

/** What the problems of a load run are about, for the sentences of `loadProblems`. */
export interface LoadExpectation {
  /** Jobs the load tool was to submit. */
  submissions: number;
  /** Requests the gateway could not serve. */
  failures: readonly GatewayFailure[];
  /** Why jobs may have stayed queued (e.g. which queues the workers listen on); appended to that sentence. */
  queuedReason?: string;
  /** Most sentences about single jobs before the rest are counted (default 10). */
  maxJobLines?: number;
}

function some(names: readonly string[], most = 3): string {
  return names.length <= most ? names.join(', ') : `${names.slice(0, most).join(', ')} and ${names.length - most} more`;
}

/** The problems of the run, one sentence each; empty when every job was submitted and is correct. */
export function loadProblems(rows: readonly JobRow[], expected: LoadExpectation): string[] {
  const problems: string[] = [];
  if (rows.length < expected.submissions) {
    const failed = expected.failures.filter((failure) => failure.call === 'submit').map((failure) => failure.error);
    const why = failed.length > 0 ? `: ${some([...new Set(failed)], 2)}` : '';
    problems.push(`only ${rows.length} of ${expected.submissions} submissions were accepted${why}`);
  }
  const queued = rows.filter((row) => row.status === 'queued');
  if (queued.length > 0) {
    const why = expected.queuedReason ? `: ${expected.queuedReason}` : '';
    problems.push(`${queued.length} of ${rows.length} jobs never left 'queued'${why} (jobs ${some(queued.map((row) => row.jobId))})`);
  }
  const single = rows
    .filter((row) => row.status !== 'queued')
    .flatMap((row) => row.problems.map((problem) => `job ${row.jobId}: ${problem}`));
  const most = expected.maxJobLines ?? 10;
  problems.push(...single.slice(0, most));
  if (single.length > most) problems.push(`... and ${single.length - most} more problems (see the per-job table)`);
  return problems;
}
