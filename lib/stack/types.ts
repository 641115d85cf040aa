// Stack deployers: how a run installs a stack (kustomize directory, Helm chart) and the handle suites use.
import type { RunToolFn, Tools } from '../cluster/command-runner.ts';
import type { Cluster, ConnectFn, OpOptions } from '../cluster/types.ts';
import type { DataPlacement } from '../exaflow/placement.ts';

/** What to deploy. */
export interface StackSpec {
  /** Stack name (`openms`, `mip`). */
  readonly name: string;
  /** Kustomize directory or chart directory. */
  readonly source: string;
  /** Namespace to install into. */
  readonly namespace: string;
  /** Image overrides: image name as written in the source → replacement reference. */
  readonly images: Readonly<Record<string, string>>;
  /** Helm values files (Helm only). */
  readonly valuesFiles?: readonly string[];
  /** Helm release name (Helm only). */
  readonly release?: string;
  /** The Helm charts of a stack made of several (mip: Exaflow, then the web app), installed in this order. */
  readonly charts?: readonly ChartSource[];
  /** Data directory (mip): one folder per pathology; undefined means generated data. */
  readonly data?: string;
}

/** One chart of a multi-chart stack. */
export interface ChartSource {
  /** What the chart is in the stack. */
  readonly role: 'exaflow' | 'web';
  /** Helm release name. */
  readonly release: string;
  /** Chart directory. */
  readonly chart: string;
  /** The user's values files, applied after the harness's own. */
  readonly valuesFiles: readonly string[];
}

/** The ways a stack can be installed. */
export type DeployerKind = 'kustomize' | 'helm' | 'mip';

/** Installs a stack on a cluster. */
export interface StackDeployer {
  /** How it installs. */
  readonly kind: DeployerKind;
  /** Checks the source exists and renders, without touching the cluster. */
  validate(spec: StackSpec, options: OpOptions): Promise<void>;
  /** Installs the stack and returns its handle (does not wait for readiness). */
  deploy(spec: StackSpec, cluster: Cluster, options: OpOptions): Promise<Stack>;
}

/** Kinds of workload a stack handle can find. */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

/** A workload of a deployed stack. */
export interface WorkloadRef {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
}

/** A deployed stack. */
export interface Stack {
  readonly spec: StackSpec;
  /** Finds a workload by name; throws naming the workload if it does not exist. */
  workload(name: string, kind?: WorkloadKind): Promise<WorkloadRef>;
  /** Names of the pods of a workload. */
  pods(workload: WorkloadRef): Promise<string[]>;
  /** URL of a path through the ingress on this machine (e.g. `/_stcore/health`); send `host` as Host header when set. */
  url(path: string): string;
  /** Host name the stack's route matches, when it matches one (requests must carry it). */
  readonly host?: string;
  /** URL of a path for a browser: with `host` as its host name when set (map it to the ingress address, see lib/browser/launch). */
  pageUrl(path: string): string;
  /** Runs a command in a pod (with `input` on its stdin) and returns its stdout. */
  exec(pod: string, command: readonly string[], options: OpOptions & { container?: string; input?: string }): Promise<string>;
  /** The images the stack runs, by container name. */
  images(): Promise<Record<string, string>>;
  /** Container name → the image ID its running pod reports (`sha256:…`, or a digest reference): what actually ran. */
  imageIds(): Promise<Record<string, string>>;
  /** Every namespace holding the stack's objects, spec.namespace first (a chart may write its own); absent means spec.namespace only. */
  readonly namespaces?: readonly string[];
  /** The data the run placed on the worker nodes (mip), each node's share; absent when it placed none. */
  readonly data?: DataPlacement;
  /** Removes the stack; NotFound counts as success. */
  uninstall(options: OpOptions): Promise<void>;
}

/** What deployers depend on; every member has a default. */
export interface DeployerDeps {
  /** Environment for kubectl and helm (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Runs a program (default: lib/exec `runTool`). */
  runTool?: RunToolFn;
  /** Opens the Kubernetes API (default: lib/k8s/client `connect`). */
  connect?: ConnectFn;
  /** Extra arguments for `helm upgrade --install` (e.g. `--set`, `--timeout`); Helm only. */
  extraArgs?: readonly string[];
}

/** DeployerDeps with every default filled in. */
export interface DeployerContext {
  /** Program runner and environment. */
  readonly tools: Tools;
  /** Opens the Kubernetes API. */
  readonly connect: ConnectFn;
  /** See DeployerDeps.extraArgs. */
  readonly extraArgs: readonly string[];
}
