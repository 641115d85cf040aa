// One chart of the mip stack through real Helm: its values (chart defaults, the harness's, the
// user's files, the older key names translated) written to files, `helm template` to see what it
// would create, and `helm upgrade --install` / `helm uninstall`.
import { throwIfMissingTool } from '../../exec.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { Tools } from '../../cluster/command-runner.ts';
import type { Cluster, OpOptions } from '../../cluster/types.ts';
import { ConfigError } from '../../errors.ts';
import { chartDir, installArgs } from '../helm.ts';
import { failureTail } from '../handle.ts';
import { isRecord, type Manifest } from '../manifest-fields.ts';
import type { ChartSource, StackSpec } from '../types.ts';
import { chartDefaults, mergeValues, olderKeys, readValuesFile, type Values } from './values.ts';

/** Words for a chart in messages, and the flag that names it. */
export const CHART_WORDS: Readonly<Record<ChartSource['role'], { name: string; flag: string; valuesFlag: string }>> = {
  exaflow: { name: 'Exaflow chart', flag: '--exaflow-chart', valuesFlag: '--exaflow-values' },
  web: { name: 'MIP web chart', flag: '--web-chart', valuesFlag: '--web-values' },
};

/** A chart with its values read. */
export interface LoadedChart {
  /** Where it came from. */
  readonly source: ChartSource;
  /** The chart directory (absolute). */
  readonly dir: string;
  /** The chart's defaults. */
  readonly defaults: Values;
  /** The user's files merged. */
  readonly user: Values;
  /** Notes about older key names. */
  readonly compatNotes: readonly string[];
  /** Values files in the order Helm reads them: the harness's own (if any), the user's, the older keys translated. */
  files(harness: Values): Promise<string[]>;
  /** The effective values with these harness values. */
  effective(harness: Values): Values;
}

/** Reads a chart's defaults and the user's values files; ConfigError naming the chart or file that is wrong. */
export async function loadChart(source: ChartSource, scratch: string): Promise<LoadedChart> {
  const words = CHART_WORDS[source.role];
  const dir = await chartDir(source.chart).catch(() => {
    throw new ConfigError(
      `the ${words.name} directory '${source.chart}' has no Chart.yaml`,
      `pass ${words.flag} with the chart directory (the guide clones it under /opt)`,
    );
  });
  const defaults = await chartDefaults(dir);
  let user: Values = {};
  for (const file of source.valuesFiles) user = mergeValues(user, await readValuesFile(file));
  const compat = olderKeys(source.role, user, defaults);
  const write = async (name: string, values: Values): Promise<string> => {
    const path = join(scratch, `${source.release}-${name}.yaml`);
    await writeFile(path, stringify(values));
    return path;
  };
  return {
    source,
    dir,
    defaults,
    user,
    compatNotes: compat.notes,
    files: async (harness) => [
      ...(Object.keys(harness).length > 0 ? [await write('harness', harness)] : []),
      ...source.valuesFiles,
      ...(Object.keys(compat.values).length > 0 ? [await write('older-keys', compat.values)] : []),
    ],
    effective: (harness) => [harness, user, compat.values].reduce(mergeValues, defaults),
  };
}

/** A scratch directory for values files, removed by the returned function. */
export async function scratchDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mip-verify-values-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs helm with the run's environment. */
export type HelmFn = (args: readonly string[], signal: AbortSignal) => Promise<{ stdout: string }>;

/** The helm runner of a deployer. */
export function helmOf(tools: Tools): HelmFn {
  return (args, signal) => tools.runTool('helm', args, { signal, env: tools.env });
}

/** Where a chart goes: the stack's namespace on a cluster, through a helm runner. */
export interface ChartTarget {
  readonly helm: HelmFn;
  readonly spec: StackSpec;
  readonly cluster: Cluster;
}

/** The objects the chart renders with these values files; ConfigError with Helm's words when it cannot. */
export async function renderChart(
  helm: HelmFn,
  chart: LoadedChart,
  files: readonly string[],
  options: { namespace: string; signal: AbortSignal },
): Promise<Manifest[]> {
  const args = ['template', chart.source.release, chart.dir, '-n', options.namespace, ...files.flatMap((f) => ['-f', f])];
  let text: string;
  try {
    text = (await helm(args, options.signal)).stdout;
  } catch (error) {
    const words = CHART_WORDS[chart.source.role];
    throwIfMissingTool(error);
    throw new ConfigError(
      `helm could not render the ${words.name} '${chart.dir}': ${failureTail(error, 5)}`,
      `fix the chart or the values given with ${words.valuesFlag}`,
    );
  }
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as unknown)
    .filter(isRecord);
}

/** Installs (or upgrades) the chart's release in the stack's namespace; no --wait: readiness is the harness's own timed wait. */
export async function installChart(
  { helm, spec, cluster }: ChartTarget,
  chart: LoadedChart,
  files: readonly string[],
  options: OpOptions,
): Promise<void> {
  const release: StackSpec = { ...spec, release: chart.source.release };
  options.progress?.(
    `helm upgrade --install ${chart.source.release} (${CHART_WORDS[chart.source.role].name}) in namespace ${spec.namespace}`,
  );
  await helm(installArgs(release, cluster, { chart: chart.dir, values: files.flatMap((f) => ['-f', f]), extra: [] }), options.signal);
}
