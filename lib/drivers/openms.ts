// The OpenMS stack as the suites see it: which workloads play which part (found by the `component`
// label, so the upstream overlay's name prefix does not matter), and the workflow operations, run by
// the image's driver CLI (`python3 mip_verify_driver.py ...`) inside a Ready web pod. Streamlit has
// no HTTP API, so this is how a test creates workspaces, submits workflows and reads their status.
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { requestOptions, type Kube } from '../k8s/client.ts';
import { isPodReady, listPods } from '../k8s/objects.ts';
import type { Stack } from '../stack/types.ts';
import { rqTimings, type RqTimings } from './rq-timings.ts';
import { rqWorkers, type RqWorker } from './rq-workers.ts';

export type { RqTimings } from './rq-timings.ts';
export type { RqWorker } from './rq-workers.ts';

/** The parts of the stack a suite addresses. */
export const OPENMS_LAYOUT = {
  /** Label selectors of the web pods, the workers and Redis. */
  web: 'component=streamlit',
  worker: 'component=rq-worker',
  redis: 'component=redis',
  /** The cleanup CronJob's name, or the end of it (upstream overlays prefix names). */
  cleanupCronJob: 'workspace-cleanup',
  /** RQ queue the workers listen on. */
  queue: 'openms-workflows',
  /** Streamlit's health endpoint and websocket. */
  health: '/_stcore/health',
  stream: '/_stcore/stream',
  /** Sticky-session cookie set by the ingress. */
  stickyCookie: 'stroute',
  /** Page elements naming the pod that serves the session (data-hostname) and its workspace (data-workspace). */
  servedByTag: '[data-testid="served-by"]',
  workspaceTag: '[data-testid="workspace-id"]',
  /** Default threshold of the cleanup script when the CronJob does not set MAX_AGE_SECONDS (7 days). */
  defaultCleanupAgeSeconds: 604800,
} as const;

/** Log markers the workflow writes to logs/minimal.log, and the outcome upstream derives from them. */
export interface LogMarkers {
  started: boolean;
  finished: boolean;
  cancelled: boolean;
  error: boolean;
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
  enqueued_at?: string | null;
  started_at?: string | null;
  ended_at?: string | null;
  /** The job's return value (finished jobs): `success`, `worker_host`, per-input summary. */
  result?: { success?: boolean; worker_host?: string; [key: string]: unknown } | null;
  /** The exception RQ recorded (failed jobs). */
  error?: string | null;
  log: LogMarkers;
  /** Result files, relative to `<workflow>/results/`. */
  results: string[];
  /** Pid files of subprocesses still running (upstream's local-execution fallback leaves these). */
  pids: string[];
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

/** A driver command that could not run or reported an error; a check failure, not an infrastructure one. */
export class DriverError extends Error {
  override readonly name = 'DriverError';
}

/** Where driver commands run: a Ready web pod, unless a pod is named. */
export interface DriverCall {
  /** Aborts the command. */
  signal?: AbortSignal;
  /** Pod to run in (default: the first Ready web pod). */
  pod?: string;
}

/** Workflow operations on the OpenMS stack. */
export interface OpenmsDriver {
  /** Ready pods matching a layout selector, sorted by name. */
  readyPods(selector: string, signal?: AbortSignal): Promise<V1Pod[]>;
  /** Creates a workspace (a fresh id unless one is given); returns its id. */
  createWorkspace(call?: DriverCall & { id?: string }): Promise<string>;
  /** Generates a small mzML input in the workspace (the seed makes each file different). */
  addInput(workspace: string, call?: DriverCall & { name?: string; seed?: number }): Promise<void>;
  /** Enqueues the TOPP workflow; `holdSeconds` keeps it running that long before the tools start. */
  submit(workspace: string, call?: DriverCall & { holdSeconds?: number; forceFailure?: boolean }): Promise<string>;
  /** Status of the workspace's workflow. */
  status(workspace: string, call?: DriverCall): Promise<WorkflowStatus>;
  /** Workers and registry sizes of the queue. */
  queue(call?: DriverCall): Promise<QueueState>;
  /** Every workspace with its age (by the directory's mtime). */
  workspaces(call?: DriverCall): Promise<{ name: string; age_seconds: number }[]>;
  /** Backdates a workspace directory's mtime. */
  setAge(workspace: string, seconds: number, call?: DriverCall): Promise<void>;
  /** The workspace's params.json. */
  params(workspace: string, call?: DriverCall): Promise<unknown>;
  /** Result files a finished workflow must have produced for these input names (e.g. `sample.mzML`). */
  expectedResults(inputs: readonly string[]): string[];
  /** The RQ worker settings of the deployed worker and the abandoned-job bound they imply. */
  workerTimings(signal?: AbortSignal): Promise<RqTimings>;
  /** Every RQ worker registered in Redis, whatever queue it listens on (`queue` lists only the workflow queue's). */
  workers(call?: DriverCall): Promise<RqWorker[]>;
}

const DRIVER = ['python3', 'mip_verify_driver.py'];

/** The driver of a deployed OpenMS stack. */
export function openmsDriver(stack: Stack, kube: Pick<Kube, 'core' | 'apps'>): OpenmsDriver {
  const namespace = stack.spec.namespace;
  const readyPods = async (selector: string, signal?: AbortSignal): Promise<V1Pod[]> =>
    (await listPods(kube, namespace, selector, { signal })).filter((pod) => isPodReady(pod) && !pod.metadata?.deletionTimestamp);
  /** Runs `command` in `call.pod` or the first Ready web pod; `what` names it in errors. */
  const execInWeb = async (command: readonly string[], what: string, call: DriverCall = {}): Promise<{ stdout: string; pod: string }> => {
    const pod = call.pod ?? (await readyPods(OPENMS_LAYOUT.web, call.signal))[0]?.metadata?.name;
    if (!pod) throw new DriverError(`no Ready web pod (${OPENMS_LAYOUT.web}) in namespace ${namespace} to run ${what} in`);
    const stdout = await stack.exec(pod, command, { signal: call.signal ?? AbortSignal.timeout(120_000) }).catch((error: unknown) => {
      throw new DriverError(`${what} failed in pod ${pod}: ${lastLine(error)}`);
    });
    return { stdout, pod };
  };
  const run = async <T>(args: readonly string[], call: DriverCall = {}): Promise<T> => {
    const { stdout, pod } = await execInWeb([...DRIVER, ...args], `driver command "${args.join(' ')}"`, call);
    return parseReply<T>(stdout, args, pod);
  };
  return {
    readyPods,
    createWorkspace: async (call = {}) => (await run<{ workspace: string }>(['create-workspace', ...(call.id ? ['--id', call.id] : [])], call)).workspace,
    addInput: async (workspace, call = {}) => {
      await run(['add-input', workspace, '--name', call.name ?? 'sample.mzML', '--seed', String(call.seed ?? 1)], call);
    },
    submit: async (workspace, call = {}) => {
      const args = ['submit', workspace, '--hold-seconds', String(call.holdSeconds ?? 0)];
      if (call.forceFailure) args.push('--force-failure');
      return (await run<{ job_id: string }>(args, call)).job_id;
    },
    status: (workspace, call) => run<WorkflowStatus>(['status', workspace], call),
    queue: (call) => run<QueueState>(['queue'], call),
    workspaces: async (call) => (await run<{ workspaces: { name: string; age_seconds: number }[] }>(['workspaces'], call)).workspaces,
    setAge: async (workspace, seconds, call) => {
      await run(['set-age', workspace, '--seconds', String(seconds)], call);
    },
    params: async (workspace, call) => (await run<{ params: unknown }>(['params', workspace], call)).params,
    expectedResults: (inputs) => [
      ...inputs.map((name) => `feature-detection/${stem(name)}.featureXML`),
      ...inputs.map((name) => `file-info/${stem(name)}.txt`),
      'summary.json',
    ].sort(),
    workerTimings: async (signal) => rqTimings(await workerContainer(kube, namespace, signal)),
    workers: (call) => rqWorkers(async (command) => (await execInWeb(command, 'listing the RQ workers', call)).stdout),
  };
}

async function workerContainer(kube: Pick<Kube, 'apps'>, namespace: string, signal?: AbortSignal): Promise<V1Container | undefined> {
  const list = await kube.apps.listNamespacedDeployment({ namespace, labelSelector: OPENMS_LAYOUT.worker }, requestOptions(signal));
  return list.items[0]?.spec?.template.spec?.containers[0];
}

function parseReply<T>(stdout: string, args: readonly string[], pod: string): T {
  const line = stdout.trim().split('\n').pop() ?? '';
  let reply: unknown;
  try {
    reply = JSON.parse(line);
  } catch {
    throw new DriverError(`driver command "${args.join(' ')}" in pod ${pod} printed no JSON (got: ${line.slice(0, 200) || 'nothing'})`);
  }
  // The driver's own failure is a reply of exactly {"error": ...}; a status reply also has an `error` (the job's).
  if (typeof reply === 'object' && reply !== null && Object.keys(reply).length === 1 && 'error' in reply && typeof reply.error === 'string') {
    throw new DriverError(`driver command "${args.join(' ')}" in pod ${pod} failed: ${reply.error}`);
  }
  return reply as T;
}

function lastLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().split('\n').filter(Boolean).slice(-1)[0] ?? text;
}

function stem(name: string): string {
  return name.replace(/\.mzML$/i, '');
}
