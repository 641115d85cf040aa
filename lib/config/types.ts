// The one resolved, readonly configuration of a run (flag > env MIP_VERIFY_* > config file > default).

export const SUITE_NAMES = ['smoke', 'sessions', 'scaling', 'chaos', 'cleanup', 'recovery'] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];

export const STACK_NAMES = ['openms', 'mip'] as const;
export type StackName = (typeof STACK_NAMES)[number];

export const CLUSTER_PROVIDERS = ['kind', 'microk8s', 'existing'] as const;
export type ClusterProviderName = (typeof CLUSTER_PROVIDERS)[number];

/** Budgets per kind of operation, in milliseconds. */
export interface Timeouts {
  /** Creating a cluster and waiting for its nodes. */
  provision: number;
  /** Installing a stack (apply, helm install). */
  deploy: number;
  /** Workloads becoming Ready. */
  ready: number;
  /** One piece of work through the app, queue wait included: an OpenMS workflow or a MIP experiment. */
  workflow: number;
  /** A fault and the recovery from it. */
  chaos: number;
  /** A load run. */
  load: number;
  /** One teardown action. */
  cleanup: number;
}

export type ClusterConfig =
  | {
      readonly provider: 'kind';
      /** Cluster name; the kubeconfig context is `kind-<name>`. */
      readonly name: string;
      /** Node image; undefined means the offline image built by `mip-verify image build`. */
      readonly nodeImage?: string;
      /** Host port the ingress answers on (127.0.0.1). */
      readonly httpPort: number;
      /** Host directory mounted into every node for shared volumes and data. */
      readonly sharedDir: string;
      /** Number of worker nodes. */
      readonly workers: number;
    }
  | {
      readonly provider: 'existing';
      readonly kubeconfig: string;
      readonly context?: string;
      /** Base URL of the cluster's ingress as seen from this machine; default http://127.0.0.1:80. */
      readonly ingressUrl?: string;
    }
  | {
      readonly provider: 'microk8s';
      /** SSH destinations (`user@host`); empty means the local machine. */
      readonly hosts: readonly string[];
      readonly kubeconfig?: string;
    };

/** Where the mip stack comes from; unset members mean the reference stack's. */
export interface MipSources {
  /** Exaflow chart directory (the guide's `/opt/exaflow/kubernetes`). */
  readonly exaflowChart?: string;
  /** MIP web chart directory (`/opt/mip-deployment/kubernetes`). */
  readonly webChart?: string;
  /** Values files for the Exaflow chart, in order. */
  readonly exaflowValues: readonly string[];
  /** Values files for the web chart, in order. */
  readonly webValues: readonly string[];
  /** Data directory: one folder per pathology with CDEsMetadata.json and CSV files; unset means generated data. */
  readonly data?: string;
}

/** When to keep the disposable cluster. */
export type KeepPolicy = 'never' | 'always' | 'on-failure';

export interface RunConfig {
  readonly suites: readonly SuiteName[];
  readonly stack: StackName;
  /** Path of the stack source (kustomize dir or chart dir); undefined means the reference stack. */
  readonly stackSource?: string;
  /** Image overrides, `name=ref`. */
  readonly images: Readonly<Record<string, string>>;
  /** The charts, values and data of the mip stack (empty for openms). */
  readonly mip: MipSources;
  readonly cluster: ClusterConfig;
  readonly reportDir: string;
  /** The history file: the trend reads it, the run appends its line (default `<reportDir>/history.jsonl`). */
  readonly historyFile: string;
  readonly trials: number;
  /** Recovery service-level objective, ms. */
  readonly sloMs: number;
  /** Recovery floor of the claim (1 minute), ms. */
  readonly floorMs: number;
  readonly keep: KeepPolicy;
  readonly allowDisruption: boolean;
  /** A figure slower than the median of the earlier nights by more than this percentage is a regression. */
  readonly regressionThresholdPct: number;
  /** Whether a regression fails the run (exit 1). */
  readonly failOnRegression: boolean;
  /** Node named as fault target; undefined picks the node running the stack's workers. */
  readonly target?: string;
  readonly timeouts: Readonly<Timeouts>;
  /** Where the config file came from, if any. */
  readonly configFile?: string;
}
