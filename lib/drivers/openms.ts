// The OpenMS stack as the suites see it: which workloads play which part (found by the `component`
// label, so the upstream overlay's name prefix does not matter), and the workflow operations. Streamlit
// has no HTTP API and no image carries anything of mip-verify, so the harness sends its own driver
// (openms-driver.py) to a Ready web pod at run time, `kubectl exec -i` with the script on stdin, run in
// the app's environment and directory, where it uses the app's own modules as the Run page does.
import { ApiUnavailableError } from '../k8s/transient.ts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { requestOptions, type Kube } from '../k8s/client.ts';
import { isPodReady, listPods } from '../k8s/objects.ts';
import type { Stack } from '../stack/types.ts';
import { rqTimings, type RqTimings } from './rq-timings.ts';
import { rqWorkers, type RqWorker } from './rq-workers.ts';
import type { QueueState, WorkflowStatus } from './openms-status.ts';

export type { RqTimings } from './rq-timings.ts';
export type { RqWorker } from './rq-workers.ts';
export {
  TERMINAL_STATES,
  workflowHasEnded,
  type LogMarkers,
  type QueueState,
  type QueueWorker,
  type WorkflowStatus,
} from './openms-status.ts';

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
  /** URL query parameter that names the session's workspace. */
  workspaceParam: 'workspace',
  /** Default threshold of the cleanup script when the CronJob does not set MAX_AGE_SECONDS (7 days). */
  defaultCleanupAgeSeconds: 604800,
} as const;

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
  /** Generates an mzML input in the workspace (the seed varies it; more scans make the tools run longer). */
  addInput(workspace: string, call?: DriverCall & { name?: string; seed?: number; scans?: number }): Promise<void>;
  /** Saves params.json with every input and queues the TOPP workflow through the app's QueueManager. */
  submit(workspace: string, call?: DriverCall): Promise<string>;
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
  /** Stores `key: value` in the workspace's params.json (as a parameter change in the page does); returns the file's content. */
  setParam(workspace: string, key: string, value: string, call?: DriverCall): Promise<unknown>;
  /** What tells a pod apart: its uuid node (the last 12 hex digits of its workspace ids) and Streamlit's installation id. */
  identity(call: DriverCall & { pod: string }): Promise<PodIdentity>;
  /** Result files a finished workflow must have produced for these input names (e.g. `sample.mzML`). */
  expectedResults(inputs: readonly string[]): string[];
  /** The RQ worker settings of the deployed worker and the abandoned-job bound they imply. */
  workerTimings(signal?: AbortSignal): Promise<RqTimings>;
  /** Every RQ worker registered in Redis, whatever queue it listens on (`queue` lists only the workflow queue's). */
  workers(call?: DriverCall): Promise<RqWorker[]>;
}

/** What a web pod's Streamlit puts in what it sends, told apart per pod. */
export interface PodIdentity {
  hostname: string;
  /** uuid.getnode() as 12 hex digits: the node field of the uuid1 workspace ids the pod makes. */
  node: string;
  /** The installation id Streamlit sends in every NewSession message of the pod's `/_stcore/stream`. */
  installation_id: string;
}

/** The script's source, read once. */
let driverScript: string | undefined;
function script(): string {
  driverScript ??= readFileSync(fileURLToPath(new URL('./openms-driver.py', import.meta.url)), 'utf8');
  return driverScript;
}

/** Runs the script given on stdin with the app's Python, from the app's directory, as upstream's containers activate it. */
const DRIVER = [
  'bash',
  '-c',
  'source /root/miniforge3/bin/activate streamlit-env >/dev/null 2>&1 || true; cd /app 2>/dev/null || true; exec "$(command -v python || command -v python3)" - "$@"',
  'openms-driver',
];

/** The driver of a deployed OpenMS stack. */
export function openmsDriver(stack: Stack, kube: Pick<Kube, 'core' | 'apps'>): OpenmsDriver {
  const { readyPods, run } = scriptRunner(stack, kube);
  return {
    readyPods,
    ...workspaceCommands(run),
    submit: async (workspace, call = {}) => (await run<{ job_id: string }>(['submit', workspace], call)).job_id,
    status: (workspace, call) => run<WorkflowStatus>(['status', workspace], call),
    queue: (call) => run<QueueState>(['queue'], call),
    identity: (call) => run<PodIdentity>(['identity'], call),
    expectedResults: (inputs) =>
      [
        ...inputs.map((name) => `feature-detection/${stem(name)}.featureXML`),
        'feature-linking/feature_matrix.consensusXML',
        'feature-linking/feature_matrix.tsv',
      ].sort(),
    workerTimings: async (signal) => rqTimings(await workerContainer(kube, stack.spec.namespace, signal)),
    workers: async (call) => rqWorkers((await run<{ workers: unknown }>(['workers'], call)).workers),
  };
}

/** Runs one driver command (the script's arguments) and parses its JSON reply. */
type RunDriver = <T>(args: readonly string[], call?: DriverCall) => Promise<T>;

/** The Ready pods of a selector, and the driver script run in `call.pod` or the first Ready web pod. */
function scriptRunner(stack: Stack, kube: Pick<Kube, 'core'>): { readyPods: OpenmsDriver['readyPods']; run: RunDriver } {
  const namespace = stack.spec.namespace;
  const readyPods = async (selector: string, signal?: AbortSignal): Promise<V1Pod[]> =>
    (await listPods(kube, namespace, selector, { signal })).filter((pod) => isPodReady(pod) && !pod.metadata?.deletionTimestamp);
  /** Runs `command` in `call.pod` or the first Ready web pod; `what` names it in errors. */
  const execInWeb = async (command: readonly string[], what: string, call: DriverCall = {}): Promise<{ stdout: string; pod: string }> => {
    const pod = call.pod ?? (await readyPods(OPENMS_LAYOUT.web, call.signal))[0]?.metadata?.name;
    if (!pod) throw new DriverError(`no Ready web pod (${OPENMS_LAYOUT.web}) in namespace ${namespace} to run ${what} in`);
    const stdout = await stack
      .exec(pod, command, { signal: call.signal ?? AbortSignal.timeout(120_000), input: script() })
      .catch((error: unknown) => {
        // The API not answering is not the app failing: that error keeps its own words.
        if (error instanceof ApiUnavailableError) throw error;
        throw new DriverError(`${what} failed in pod ${pod}: ${lastLine(error)}`);
      });
    return { stdout, pod };
  };
  const run = async <T>(args: readonly string[], call: DriverCall = {}): Promise<T> => {
    const { stdout, pod } = await execInWeb([...DRIVER, ...args], `driver command "${args.join(' ')}"`, call);
    return parseReply<T>(stdout, args, pod);
  };
  return { readyPods, run };
}

/** The commands on workspaces: create one, add an input, list them, age one, read and set its parameters. */
function workspaceCommands(
  run: RunDriver,
): Pick<OpenmsDriver, 'createWorkspace' | 'addInput' | 'workspaces' | 'setAge' | 'params' | 'setParam'> {
  return {
    createWorkspace: async (call = {}) =>
      (await run<{ workspace: string }>(['create-workspace', ...(call.id ? ['--id', call.id] : [])], call)).workspace,
    addInput: async (workspace, call = {}) => {
      await run(
        [
          'add-input',
          workspace,
          '--name',
          call.name ?? 'sample.mzML',
          '--seed',
          String(call.seed ?? 1),
          '--scans',
          String(call.scans ?? 180),
        ],
        call,
      );
    },
    workspaces: async (call) => (await run<{ workspaces: { name: string; age_seconds: number }[] }>(['workspaces'], call)).workspaces,
    setAge: async (workspace, seconds, call) => {
      await run(['set-age', workspace, '--seconds', String(seconds)], call);
    },
    params: async (workspace, call) => (await run<{ params: unknown }>(['params', workspace], call)).params,
    setParam: async (workspace, key, value, call) => (await run<{ params: unknown }>(['set-param', workspace, key, value], call)).params,
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
  if (
    typeof reply === 'object' &&
    reply !== null &&
    Object.keys(reply).length === 1 &&
    'error' in reply &&
    typeof reply.error === 'string'
  ) {
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
