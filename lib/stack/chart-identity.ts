// What a sign-off names of each Helm chart it tested: the name, version and appVersion its Chart.yaml gives.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { StackSpec } from './types.ts';

/** A chart as a release manager signs it off. */
export interface ChartIdentity {
  /** `name` in Chart.yaml. */
  name: string;
  /** `version` in Chart.yaml. */
  version: string;
  /** `appVersion` in Chart.yaml, when it has one. */
  appVersion?: string;
  /** The chart directory. */
  dir: string;
}

/** The charts a stack installs (the mip stack's two, a helm stack's one; none for kustomize), as their Chart.yaml names them. */
export async function stackCharts(spec: StackSpec, deployer: string): Promise<ChartIdentity[]> {
  const dirs = spec.charts?.map((c) => c.chart) ?? (deployer === 'helm' ? [spec.source] : []);
  const charts = await Promise.all(dirs.map(chartIdentity));
  return charts.filter((c): c is ChartIdentity => c !== undefined);
}

async function chartIdentity(dir: string): Promise<ChartIdentity | undefined> {
  const parsed: unknown = await readFile(join(dir, 'Chart.yaml'), 'utf8').then(parse, () => undefined);
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { name, version, appVersion } = parsed as Record<string, unknown>;
  if (typeof name !== 'string' || (typeof version !== 'string' && typeof version !== 'number')) return undefined;
  const app = typeof appVersion === 'string' || typeof appVersion === 'number' ? { appVersion: String(appVersion) } : {};
  return { name, version: String(version), ...app, dir };
}
