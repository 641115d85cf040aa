// What the OpenMS driver reports about workflows and the queue (the JSON replies of openms-driver.py's
// `status` and `queue`), and when a workflow has ended.

/** Log markers the workflow writes to logs/minimal.log, and the outcome upstream derives from them. */
export interface LogMarkers {
  started: boolean;
  finished: boolean;
  cancelled: boolean;
  error: boolean;
  /** The first `ERROR` lines of logs/minimal.log. */
  errors?: string[];
  outcome: 'finished' | 'cancelled' | 'error' | 'none';
}

/** What the driver's `status` reports for a workspace's workflow. */
export interface WorkflowStatus {
  workspace: string;
  /** RQ job id from `<workflow>/.job_id`; null when the workflow never went through the queue. */
  job_id: string | null;
  /** RQ status (`queued`, `started`, `finished`, `failed`, ...), `idle` without a job, `unknown` when Redis forgot it. */
  status: string;
  running: boolean;
  progress?: number | null;
  current_step?: string | null;
  /** RQ worker name that took the job. */
  worker?: string | null;
  /** The host (pod) of that worker, from RQ's worker record; null when the record is gone. */
  worker_host?: string | null;
  enqueued_at?: string | null;
  started_at?: string | null;
  ended_at?: string | null;
  /** The job's return value (finished jobs): upstream's `{success, workflow_dir, message | error}`. */
  result?: { success?: boolean; error?: string; [key: string]: unknown } | null;
  /** The exception RQ recorded (failed jobs). */
  error?: string | null;
  log: LogMarkers;
  /** Result files, relative to `<workflow>/results/`. */
  results: string[];
  /** Pid files of subprocesses still running (upstream's local-execution fallback leaves these). */
  pids: string[];
  /** Consensus features of the linked feature table (or consensusXML); null when neither exists. */
  consensus_features?: number | null;
}

/** A worker as RQ lists it. */
export interface QueueWorker {
  name: string;
  hostname: string;
  state: string;
  current_job: string | null;
  successful: number;
  failed: number;
}

/** The queue as the driver's `queue` command reports it. */
export interface QueueState {
  queue: string;
  /** Whether the app's own QueueManager has a queue (online mode and Redis answering). */
  app_queue_available: boolean;
  /** Why the app's QueueManager could not be created, when it could not. */
  app_queue_error?: string | null;
  workers: QueueWorker[];
  queued: number;
  started: number;
  finished: number;
  failed: number;
}

/** RQ states after which a job does nothing more. */
export const TERMINAL_STATES: readonly string[] = ['finished', 'failed', 'canceled', 'stopped'];

/** The workflow does nothing more: its job reached a terminal state, or Redis no longer knows it. */
export function workflowHasEnded(status: Pick<WorkflowStatus, 'status'>): boolean {
  return TERMINAL_STATES.includes(status.status) || status.status === 'unknown';
}
