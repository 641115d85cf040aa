// What a run depends on, as one object with defaults wired to the real modules. The defaults are imported
// lazily, so a run built entirely from fakes (the tests) loads none of the cluster, stack or report code.
import type { ClusterProvider } from '../cluster/types.ts';
import type { RunConfig } from '../config/types.ts';
import type { Kube } from '../k8s/client.ts';
import type { RunEvent } from '../report/events.ts';
import type { HistoryEntry } from '../report/history.ts';
import type { SecretStore } from '../report/redact.ts';
import type { DeployerKind, StackDeployer } from '../stack/types.ts';
import type { CollectDiagnostics } from './evidence.ts';
import type { SuiteRunOptions, SuiteRunResult } from './mocha-runner.ts';

/** How a run talks to the user. */
export interface RunIO {
  /** Prints a progress or result line. */
  out: (line: string) => void;
  /** Prints an error line. */
  err: (line: string) => void;
  /** Aborts on Ctrl-C: the run stops at the next boundary, tears down and exits 130. */
  signal: AbortSignal;
  /** Whether the output is a terminal. */
  isTTY: boolean;
  /** What the run masks on every output; the run adds the secrets it learns (kubeconfig, the stack's Secrets). */
  secrets?: SecretStore;
}

/** Everything a run calls outside its own lifecycle; tests replace each member. */
export interface RunDeps {
  /** Clock for the run id. */
  now(): Date;
  /** The cluster provider for the configuration. */
  createProvider(config: RunConfig): ClusterProvider;
  /** The deployer of a stack source kind. */
  createDeployer(kind: DeployerKind): StackDeployer;
  /** Opens the Kubernetes API of the provisioned cluster. */
  connect(kubeconfigPath: string, context?: string): Kube | Promise<Kube>;
  /** Writes diagnostics (events, describe, logs) of a namespace into a folder. */
  collectEvidence: CollectDiagnostics;
  /** Runs the mocha suites. */
  runSuites(options: SuiteRunOptions): Promise<SuiteRunResult>;
  /** The credentials of the kubeconfig the run connected with, to mask. */
  clusterSecrets(kube: Kube): string[];
  /** The data of the Secrets in the stack's namespaces, to mask. */
  stackSecrets(kube: Kube, namespaces: readonly string[]): Promise<string[]>;
  /** Kills every child process still running (after an interrupt). */
  killAllChildren(): unknown;
  /** A new sortable run id. */
  newRunId(now: Date): string;
  /** Creates `<reportDir>/<runId>` and returns its path. */
  createRunDir(reportDir: string, runId: string): Promise<string>;
  /** Renders report.json, junit.xml and index.html from the events, the trend from the history file. */
  writeReports(runDir: string, events: readonly RunEvent[], historyFile: string): Promise<void>;
  /** Points `<reportDir>/latest` at the run. */
  pointLatest(reportDir: string, runId: string): Promise<void>;
  /** The entries of the history file (none when it does not exist). */
  readHistory(historyFile: string): Promise<HistoryEntry[]>;
  /** Appends the run to the history file (`<reportDir>/history.jsonl` unless --history names another). */
  appendHistory(historyFile: string, events: readonly RunEvent[]): Promise<void>;
  /** The project checkout: package.json (tool version) and the reference stacks. */
  projectRoot: string;
}

/** The real dependencies. */
export async function defaultDeps(): Promise<RunDeps> {
  const [cluster, stack, client, diagnostics, runner, exec, runDir, write, history, paths, secrets] = await Promise.all([
    import('../cluster/index.ts'),
    import('../stack/index.ts'),
    import('../k8s/client.ts'),
    import('../k8s/diagnostics.ts'),
    import('./mocha-runner.ts'),
    import('../exec.ts'),
    import('../report/run-dir.ts'),
    import('../report/write.ts'),
    import('../report/history.ts'),
    import('../paths.ts'),
    import('../k8s/secret-values.ts'),
  ]);
  const offline = await import('../cluster/offline/wiring.ts');
  return {
    now: () => new Date(),
    createProvider: (config) =>
      cluster.createProvider(config.cluster, { timeouts: config.timeouts, ...offline.offlineKindDeps(process.env, config.timeouts.ready) }),
    createDeployer: (kind) => stack.createDeployer(kind),
    connect: client.connect,
    collectEvidence: diagnostics.collectEvidence,
    runSuites: runner.runSuites,
    clusterSecrets: (kube) => secrets.kubeconfigSecrets(kube.config),
    stackSecrets: secrets.stackSecrets,
    killAllChildren: exec.killAllChildren,
    newRunId: runDir.newRunId,
    createRunDir: runDir.createRunDir,
    writeReports: write.writeReports,
    pointLatest: runDir.pointLatest,
    appendHistory: history.appendHistory,
    readHistory: history.readHistory,
    projectRoot: paths.projectRoot,
  };
}
