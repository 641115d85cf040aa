// Picks the cluster provider for a run's configuration, and gathers what providers depend on
// (tools, the Kubernetes client, the cache, budgets) so tests can replace each piece.
import type { ClusterConfig, Timeouts } from '../config/types.ts';
import { connect, type Kube } from '../k8s/client.ts';
import { cacheDir } from '../paths.ts';
import { createTools, type RunToolFn, type Tools } from './command-runner.ts';
import { createExistingProvider } from './existing.ts';
import { createKindProvider } from './kind.ts';
import { createMicrok8sProvider } from './microk8s.ts';
import type { Cluster, ClusterProvider, OpOptions } from './types.ts';

/** Opens the Kubernetes API for a kubeconfig file and context. */
export type ConnectFn = (kubeconfigPath: string, context?: string) => Kube | Promise<Kube>;

/** Runs once the kind cluster is up and labelled (ingress controller, storage class); must be idempotent. */
export type AfterCreateHook = (cluster: Cluster, options: OpOptions & { reused: boolean }) => Promise<void>;

/** What providers depend on; every member has a default. */
export interface ProviderDeps {
  /** Environment for tools and for locating the cache (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Runs a program (default: lib/exec `runTool`). */
  runTool?: RunToolFn;
  /** Opens the Kubernetes API (default: lib/k8s/client `connect`). */
  connect?: ConnectFn;
  /** Budgets; `provision` bounds creating the cluster and its nodes becoming Ready, `chaos` a node reboot. */
  timeouts?: Partial<Pick<Timeouts, 'provision' | 'chaos'>>;
  /** The kind node image when the configuration names none (the offline image); undefined means kind's default. */
  defaultNodeImage?: () => string | undefined | Promise<string | undefined>;
  /** Runs after a kind cluster is up and labelled, also when an existing one is reused. */
  afterCreate?: AfterCreateHook;
}

/** ProviderDeps with every default filled in. */
export interface ProviderContext {
  /** Program runner and environment. */
  readonly tools: Tools;
  /** Opens the Kubernetes API. */
  readonly connect: ConnectFn;
  /** Where kubeconfig files are written (never the user's ~/.kube/config). */
  readonly cacheDir: string;
  /** Budget for creating a cluster and its nodes becoming Ready, ms. */
  readonly provisionMs: number;
  /** Budget for one node fault and its recovery, ms. */
  readonly chaosMs: number;
  /** See ProviderDeps.defaultNodeImage. */
  readonly defaultNodeImage?: ProviderDeps['defaultNodeImage'];
  /** See ProviderDeps.afterCreate. */
  readonly afterCreate?: AfterCreateHook;
}

const defaultProvisionMs = 10 * 60_000;
const defaultChaosMs = 5 * 60_000;

/** Fills in the defaults of ProviderDeps. */
export function providerContext(deps: ProviderDeps = {}): ProviderContext {
  // The CLI passes its environment down; the process's own is only the fallback for direct callers.
  const env = deps.env ?? process.env;
  return {
    tools: createTools(env, deps.runTool),
    connect: deps.connect ?? connect,
    cacheDir: cacheDir(env),
    provisionMs: deps.timeouts?.provision ?? defaultProvisionMs,
    chaosMs: deps.timeouts?.chaos ?? defaultChaosMs,
    defaultNodeImage: deps.defaultNodeImage,
    afterCreate: deps.afterCreate,
  };
}

/** The provider for a cluster configuration. */
export function createProvider(config: ClusterConfig, deps?: ProviderDeps): ClusterProvider {
  const context = providerContext(deps);
  switch (config.provider) {
    case 'kind':
      return createKindProvider(config, context);
    case 'existing':
      return createExistingProvider(config, context);
    case 'microk8s':
      return createMicrok8sProvider(config, context);
    default:
      return assertNever(config);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown cluster provider: ${JSON.stringify(value)}`);
}
