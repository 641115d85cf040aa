// The flags shared by `run` and `cluster`, and the step from parsed flags to one RunConfig.
// No flag has a yargs default: an unset flag must not hide a value from MIP_VERIFY_* or the file.
import type { Options } from 'yargs';
import { DEFAULTS } from '../../config/defaults.ts';
import { loadConfigFile } from '../../config/file.ts';
import { resolveConfig } from '../../config/resolve.ts';
import { SETTING_KEYS, type RawSettings, type SettingKey } from '../../config/settings.ts';
import type { RunConfig } from '../../config/types.ts';
import type { CliIO } from '../io.ts';

/** Flags that choose and describe the cluster (`run` and `cluster`). */
export const clusterOptions = {
  cluster: { type: 'string', describe: `Cluster: kind (disposable), microk8s or existing [default: ${DEFAULTS.cluster}]` },
  kubeconfig: { type: 'string', describe: 'Kubeconfig file of an existing or microk8s cluster' },
  context: { type: 'string', describe: 'Context in that kubeconfig (existing clusters)' },
  'ingress-url': { type: 'string', describe: 'Ingress base URL of an existing cluster [default: http://127.0.0.1:80]' },
  name: { type: 'string', describe: `Name of the kind cluster [default: ${DEFAULTS.name}]` },
  'node-image': { type: 'string', describe: 'kind node image [default: the offline image from image build]' },
  'http-port': { type: 'string', describe: `Host port of the kind ingress [default: ${DEFAULTS.httpPort}]` },
  'microk8s-host': { type: 'string', array: true, describe: 'SSH destination of a microk8s node (repeatable)' },
  config: { type: 'string', describe: 'Config file, JSON or YAML [default: mip-verify.config.{json,yaml,yml} if present]' },
} as const satisfies Record<string, Options>;

/** Flags of a run. */
export const runOptions = {
  suite: { type: 'string', describe: 'Suites, comma-separated, or all [default: all]' },
  stack: { type: 'string', describe: `Stack: openms or mip [default: ${DEFAULTS.stack}]` },
  'stack-source': { type: 'string', describe: 'Path of the stack (kustomize dir or chart dir) [default: the reference stack]' },
  image: { type: 'string', array: true, describe: 'Image override name=ref (repeatable)' },
  'exaflow-chart': { type: 'string', describe: 'mip: Exaflow chart directory [default: the reference chart]' },
  'web-chart': { type: 'string', describe: 'mip: MIP web chart directory [default: the reference chart]' },
  'exaflow-values': { type: 'string', array: true, describe: 'mip: values file for the Exaflow chart (repeatable)' },
  'web-values': { type: 'string', array: true, describe: 'mip: values file for the web chart (repeatable)' },
  data: { type: 'string', describe: 'mip: data directory, one folder per pathology [default: generated data]' },
  'report-dir': { type: 'string', describe: `Where reports go [default: ${DEFAULTS.reportDir}]` },
  history: {
    type: 'string',
    describe: 'History file the trend reads and the run appends to (a CI cache) [default: <report dir>/history.jsonl]',
  },
  trials: { type: 'string', describe: `Trials per recovery scenario [default: ${DEFAULTS.trials}]` },
  slo: { type: 'string', describe: 'Recovery SLO, e.g. 5m or 90s [default: 5m]' },
  floor: { type: 'string', describe: 'Recovery floor of the claim [default: 1m]' },
  keep: { type: 'boolean', describe: 'Keep the disposable cluster after the run' },
  'keep-on-failure': { type: 'boolean', describe: 'Keep the disposable cluster only after a failed run' },
  'allow-disruption': { type: 'boolean', describe: 'Allow chaos and recovery on a cluster this run did not create' },
  'regression-threshold': {
    type: 'string',
    describe: 'A figure slower than the median of the last nights by more than this is a regression [default: 25%]',
  },
  'fail-on-regression': { type: 'boolean', describe: 'Fail the run (exit 1) when a figure regressed against the trend' },
  target: { type: 'string', describe: 'Node to disrupt [default: the node running the stack workers]' },
} as const satisfies Record<string, Options>;

const LIST_KEYS: readonly SettingKey[] = ['image', 'microk8sHost', 'exaflowValues', 'webValues'];

/** The settings given as flags, from yargs' parsed arguments (camelCase keys). */
export function settingsFromArgv(argv: Readonly<Record<string, unknown>>): RawSettings {
  const flags: RawSettings = {};
  for (const key of SETTING_KEYS) {
    const value = argv[key];
    if (value === undefined) continue;
    // A single-valued flag given twice: the last one wins, as in most command lines.
    flags[key] = Array.isArray(value) && !LIST_KEYS.includes(key) ? (value as unknown[]).at(-1) : value;
  }
  return flags;
}

/** Reads the config file (if any) and resolves flags, environment, file and defaults into one config. */
export async function loadRunConfig(argv: Readonly<Record<string, unknown>>, io: CliIO, checkSuites: boolean): Promise<RunConfig> {
  const explicit = typeof argv.config === 'string' ? argv.config : io.env.MIP_VERIFY_CONFIG || undefined;
  const file = await loadConfigFile(explicit, io.cwd);
  return resolveConfig(settingsFromArgv(argv), io.env, file, { cwd: io.cwd, checkSuites });
}
