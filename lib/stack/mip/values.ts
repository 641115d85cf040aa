// Helm values of the mip stack: reading the user's files (a YAML error names the file), the values the
// harness adds for the cluster it runs on, the guide's older key names, and the effective values
// (chart defaults, then the harness's, then the user's) the deployer reasons about.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../../errors.ts';
import { isRecord, type Manifest } from '../manifest-fields.ts';

/** A values tree. */
export type Values = Manifest;

/** The values of a file; ConfigError naming the file when it is not a YAML mapping. */
export async function readValuesFile(path: string): Promise<Values> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new ConfigError(`values file '${path}' cannot be read`, 'fix the path of the values file');
  });
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new ConfigError(
      `values file '${path}' is not valid YAML: ${firstLine(error)}`,
      'fix the file, or check it with `helm template -f <file> <chart>`',
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isRecord(parsed))
    throw new ConfigError(`values file '${path}' is not a mapping of keys to values`, 'Helm values files are YAML mappings');
  return parsed;
}

/** The chart's own values.yaml (its defaults); empty when it has none. */
export async function chartDefaults(chart: string): Promise<Values> {
  return readValuesFile(join(chart, 'values.yaml')).catch(() => ({}));
}

/** `b` merged into `a` the way Helm merges values files: mappings key by key, anything else replaced. */
export function mergeValues(a: Values, b: Values): Values {
  const merged: Values = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = merged[key];
    merged[key] = isRecord(current) && isRecord(value) ? mergeValues(current, value) : value;
  }
  return merged;
}

/** The value at a dotted path (`storage.hostPath.db.localworker`), if set. */
export function valueAt(values: Values, path: string): unknown {
  let node: unknown = values;
  for (const key of path.split('.')) {
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** A values tree holding one value at a dotted path. */
export function valueTree(path: string, value: unknown): Values {
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Values;
}

/** What the guide's older key names become, and notes saying so. */
export interface Compat {
  /** Values to add after the user's files. */
  readonly values: Values;
  /** One line per key translated or not read. */
  readonly notes: string[];
}

/**
 * The guide's exareme2-era Exaflow keys: `exareme2_images` becomes `exaflow_images` (same shape); the
 * storage keys (`db.csvs_location` and friends) have no counterpart the chart reads, which is said.
 * The MIP web chart's README still says `managed_cluster`: it becomes `cluster.managed`.
 */
export function olderKeys(role: 'exaflow' | 'web', user: Values, defaults: Values): Compat {
  const notes: string[] = [];
  let values: Values = {};
  const translate = (from: string, to: string): void => {
    const value = valueAt(user, from);
    if (value === undefined || valueAt(defaults, from) !== undefined || valueAt(user, to) !== undefined) return;
    values = mergeValues(values, valueTree(to, value));
    notes.push(`values key ${from} (the guide's older name) is given to the chart as ${to}`);
  };
  if (role === 'exaflow') {
    translate('exareme2_images', 'exaflow_images');
    for (const key of ['credentials_location', 'db.storage_location', 'db.csvs_location', 'controller.cleanup_file_folder']) {
      if (valueAt(user, key) !== undefined && valueAt(defaults, key) === undefined)
        notes.push(`values key ${key} (exareme2 era) is not read by this chart; data goes where the chart mounts it`);
    }
  } else {
    translate('managed_cluster', 'cluster.managed');
  }
  return { values, notes };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
