// Cluster providers: how a run gets a cluster (kind, microk8s, existing) and what it can do with it.
import type { Timeouts } from '../config/types.ts';
import type { Kube } from '../k8s/client.ts';
import type { ImageSource, NodeInfo } from '../report/events.ts';
import type { RunToolFn, Tools } from './command-runner.ts';

/** Options every long provider operation takes. */
export interface OpOptions {
  /** Aborts the operation (Ctrl-C, deadline). */
  signal: AbortSignal;
  /** Progress lines for the user (image build, cluster up). */
  progress?: (line: string) => void;
  /** Facts the report keeps (e.g. how a stack was fitted to the cluster); progress takes them when absent. */
  note?: (line: string) => void;
}

/** Creates (or attaches to) a cluster. */
export interface ClusterProvider {
  /** Provider name as in `--cluster`. */
  readonly name: 'kind' | 'microk8s' | 'existing';
  /** Checks the provider's own prerequisites and inputs without changing anything. */
  validate(): Promise<void>;
  /** Creates the cluster, or attaches to it, and waits until its nodes are Ready. */
  provision(options: OpOptions): Promise<Cluster>;
  /** Whether the cluster this provider would create already exists. */
  exists(options: OpOptions): Promise<boolean>;
  /** Removes what `provision` created; a no-op for clusters the run did not create. */
  destroy(options: OpOptions): Promise<void>;
}

/** A cluster a run can use. */
export interface Cluster {
  /** Cluster name (kind cluster name, or the kubeconfig context). */
  readonly name: string;
  /** Provider that made it. */
  readonly provider: 'kind' | 'microk8s' | 'existing';
  /** Kubeconfig file that reaches it. */
  readonly kubeconfigPath: string;
  /** Context in that kubeconfig. */
  readonly context: string;
  /** Base URL of the ingress as seen from this machine (e.g. http://127.0.0.1:18080). */
  readonly ingressUrl: string;
  /** Whether the run created the cluster (and so may do anything to it). */
  readonly disposable: boolean;
  /** Host directory shared by every node, when the provider has one. */
  readonly sharedDir?: string;
  /** Lists the nodes with roles, labels and readiness. */
  listNodes(): Promise<NodeInfo[]>;
  /** Kubernetes server version, e.g. v1.33.13. */
  serverVersion(): Promise<string>;
  /** Writes the provider's logs of the cluster into dir. */
  exportLogs(dir: string, options: OpOptions): Promise<void>;
  /** Node faults, when the provider can cause them. */
  readonly nodes?: NodeFaults;
  /** Loading locally built images into the nodes, when the provider can (kind). */
  readonly images?: ImageLoader;
  /** Writing files onto a node's own file system, when the provider can (kind). */
  readonly files?: NodeFiles;
}

/** Puts files on one node (e.g. the CSV files a host-path volume of that node serves); optional capability. */
export interface NodeFiles {
  /** Replaces `remoteDir` on `node` with the contents of the local directory `localDir`. */
  replaceDir(node: string, localDir: string, remoteDir: string, options: OpOptions): Promise<void>;
}

/** Makes images of the local Docker engine available to every node; optional capability. */
export interface ImageLoader {
  /** Loads those of `refs` that exist locally into every node and returns them; the others are left to the cluster to pull. */
  loadLocal(refs: readonly string[], options: OpOptions): Promise<string[]>;
  /** Of the images loaded so far, those built from a checkout: image reference → what their labels say it was built from. */
  sources?(): Record<string, ImageSource>;
}

/** Node-level faults (stop, start, restart, pause); optional capability. */
export interface NodeFaults {
  /** Stops the node (power off). */
  stop(node: string, options: OpOptions): Promise<void>;
  /** Starts a stopped node. */
  start(node: string, options: OpOptions): Promise<void>;
  /** Restarts the node (down, then up). */
  restart(node: string, options: OpOptions): Promise<void>;
  /** Freezes every process of the node without stopping it. */
  pause?(node: string, options: OpOptions): Promise<void>;
  /** Resumes a paused node. */
  unpause?(node: string, options: OpOptions): Promise<void>;
}

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
