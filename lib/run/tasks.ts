// The checks before a run (preflight), then its tasks in order: provision the cluster, deploy the stack, run the suites.
// Each task's teardown is queued before its setup (see pipeline.ts), so half-made things are undone too.
import type { Cluster, ClusterProvider } from '../cluster/types.ts';
import { clusterDownCommand } from '../config/defaults.ts';
import type { RunConfig } from '../config/types.ts';
import type { Kube } from '../k8s/client.ts';
import type { EventBus } from '../report/bus.ts';
import type { SecretStore } from '../report/redact.ts';
import type { Stack, StackDeployer } from '../stack/types.ts';
import type { RunDeps, RunIO } from './deps.ts';
import type { SuiteRunResult } from './mocha-runner.ts';
import type { Task } from './pipeline.ts';
import { checkStackSource, planStack, type StackPlan } from './stack-source.ts';
import { stackCharts } from '../stack/chart-identity.ts';

/** What the tasks share while a run goes on. */
export interface RunState {
  /** The resolved configuration. */
  readonly config: RunConfig;
  /** Console and run signal. */
  readonly io: RunIO;
  /** Collaborators. */
  readonly deps: RunDeps;
  /** The run's event bus. */
  readonly bus: EventBus;
  /** Sortable id of the run. */
  readonly runId: string;
  /** `<reportDir>/<runId>`. */
  readonly runDir: string;
  /** The stack to deploy. */
  readonly plan: StackPlan;
  /** What every output of the run masks; grows as the run learns secrets. */
  readonly secrets: SecretStore;
  /** Validated by the preflight. */
  readonly provider: ClusterProvider;
  /** Validated by the preflight. */
  readonly deployer: StackDeployer;
  /** Set once provisioned. */
  cluster?: Cluster;
  /** Set once provisioned. */
  kube?: Kube;
  /** Whether deploying started (its namespace may hold evidence even if deploy failed). */
  deployStarted: boolean;
  /** Set once deployed. */
  stack?: Stack;
  /** Set once the suites ran. */
  suites?: SuiteRunResult;
  /** Whether a phase or a check failed; decided before teardown (evidence, keep-on-failure). */
  failed: boolean;
}

/** What was checked before the run folder was made, and the objects the checks built. */
export interface Preflight {
  /** The stack to deploy. */
  readonly plan: StackPlan;
  /** The cluster provider, validated. */
  readonly provider: ClusterProvider;
  /** The stack deployer, validated. */
  readonly deployer: StackDeployer;
  /** How long the checks took, ms. */
  readonly ms: number;
}

/** The title of the checks made before anything is created. */
export const VALIDATE_TITLE = 'Validating the configuration';

/**
 * Checks everything the user gave before anything exists (run folder, history, cluster): the user's own
 * inputs first (stack source, charts, values, data), then what the provider needs (kubeconfig, tools), so a
 * mistake in the input is never hidden behind a missing tool.
 */
export async function preflight(config: RunConfig, deps: RunDeps, signal: AbortSignal): Promise<Preflight> {
  const started = Date.now();
  const plan = planStack(config, deps.projectRoot);
  await checkStackSource(plan);
  const deployer = deps.createDeployer(plan.deployer);
  await deployer.validate(plan.spec, { signal });
  const provider = deps.createProvider(config);
  await provider.validate();
  return { plan, provider, deployer, ms: Date.now() - started };
}

/** The three tasks of a run, after the preflight. */
export function runTasks(config: RunConfig): Task<RunState>[] {
  return [
    {
      phase: 'provision',
      title: `Provisioning the ${config.cluster.provider} cluster`,
      timeoutMs: config.timeouts.provision,
      teardownTitle: `Removing the ${config.cluster.provider} cluster`,
      teardownTimeoutMs: config.timeouts.provision,
      setup: provision,
      teardown: destroyCluster,
    },
    {
      phase: 'deploy',
      title: `Deploying the ${config.stack} stack`,
      timeoutMs: config.timeouts.deploy,
      teardownTitle: `Removing the ${config.stack} stack`,
      teardownTimeoutMs: config.timeouts.cleanup,
      setup: deploy,
      teardown: uninstallStack,
    },
    { phase: 'suites', title: `Running ${config.suites.join(', ')}`, setup: runSuites },
  ];
}

async function provision(state: RunState, signal: AbortSignal): Promise<void> {
  const cluster = await state.provider.provision({ signal, progress: progressOf(state) });
  state.cluster = cluster;
  state.kube = await state.deps.connect(cluster.kubeconfigPath, cluster.context);
  state.secrets.add(state.deps.clusterSecrets(state.kube));
  const [nodes, kubernetesVersion] = await Promise.all([cluster.listNodes(), cluster.serverVersion()]);
  state.bus.emit({ kind: 'cluster.ready', provider: cluster.provider, name: cluster.name, kubernetesVersion, nodes });
}

async function deploy(state: RunState, signal: AbortSignal): Promise<void> {
  const { spec } = state.plan;
  state.deployStarted = true;
  const note = (message: string): void => void state.bus.emit({ kind: 'log', level: 'warn', message });
  const stack = await state.deployer.deploy(spec, need(state.cluster, 'cluster'), { signal, progress: progressOf(state), note });
  state.stack = stack;
  state.secrets.add(await state.deps.stackSecrets(need(state.kube, 'kube'), stack.namespaces ?? [spec.namespace]));
  const images = await stack.images().catch(() => ({ ...spec.images }));
  const imageIds = await stack.imageIds().catch(() => ({}));
  const charts = await stackCharts(spec, state.plan.deployer).catch(() => []);
  state.bus.emit({
    kind: 'stack.ready',
    name: spec.name,
    source: spec.source,
    namespace: spec.namespace,
    images,
    ...(Object.keys(imageIds).length > 0 ? { imageIds } : {}),
    ...(charts.length > 0 ? { charts } : {}),
  });
}

async function runSuites(state: RunState, signal: AbortSignal): Promise<void> {
  const { config } = state;
  state.suites = await state.deps.runSuites({
    suites: config.suites,
    context: {
      cluster: need(state.cluster, 'cluster'),
      stack: need(state.stack, 'stack'),
      kube: need(state.kube, 'kube'),
      config: { trials: config.trials, sloMs: config.sloMs, floorMs: config.floorMs, timeouts: config.timeouts, target: config.target },
      bus: state.bus,
      signal,
      runDir: state.runDir,
    },
  });
}

/** Whether the cluster stays up after the run (`--keep`, or `--keep-on-failure` and the run failed). */
export function keepsCluster(state: Pick<RunState, 'config' | 'failed'>): boolean {
  switch (state.config.keep) {
    case 'always':
      return true;
    case 'on-failure':
      return state.failed;
    case 'never':
      return false;
  }
}

async function destroyCluster(state: RunState, signal: AbortSignal): Promise<void> {
  if (keepsCluster(state)) {
    if (state.cluster) printKeepHint(state, state.cluster);
    return;
  }
  // The provider knows what it made, so this also removes a cluster whose provisioning failed halfway.
  await state.provider.destroy({ signal, progress: progressOf(state) });
}

async function uninstallStack(state: RunState, signal: AbortSignal): Promise<void> {
  // A kept cluster keeps its stack for inspection; a destroyed disposable cluster takes the stack with it.
  if (!state.stack || keepsCluster(state) || state.cluster?.disposable === true) return;
  await state.stack.uninstall({ signal, progress: progressOf(state) });
}

function printKeepHint(state: RunState, cluster: Cluster): void {
  const lines = [
    `Kept cluster ${cluster.name}. Reach it with:`,
    `  kubectl --kubeconfig ${cluster.kubeconfigPath} --context ${cluster.context} get pods -A`,
  ];
  if (cluster.provider === 'kind') lines.push(`Remove it with: ${clusterDownCommand(cluster.name)}`);
  state.bus.emit({ kind: 'log', level: 'info', message: lines.join('\n') });
}

function progressOf(state: RunState): (line: string) => void {
  return (line) => state.io.out(`    ${line}`);
}

function need<T>(value: T | undefined, what: string): T {
  // Unreachable while the tasks run in order: a later task only starts when the earlier ones passed.
  if (value === undefined) throw new Error(`internal: ${what} is not set`);
  return value;
}
