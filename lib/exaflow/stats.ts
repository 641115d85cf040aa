// Descriptive statistics computed here, straight from the CSV rows, to judge the federation's answer:
// the platform merges partial aggregates from several nodes, this takes the rows in one place.
import { allVariables, type DataModel, type MipData, modelId } from './data.ts';

/** Exaflow's privacy threshold: statistics over fewer rows are withheld. */
export const MINIMUM_ROW_COUNT = 10;

/** The label Exaflow gives the pooled entry of a variable. */
export const ALL_DATASETS = 'all datasets';

/** Statistics of one numerical variable over some rows. */
export interface NumericSummary {
  /** Rows with a value. */
  readonly num_dtps: number;
  /** Rows without one. */
  readonly num_na: number;
  /** All rows. */
  readonly num_total: number;
  /** Arithmetic mean. */
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly std: number;
  /** Smallest value. */
  readonly min: number;
  /** Quartiles (linear interpolation, as pandas' describe): per dataset only; null in the pooled entry. */
  readonly q1: number | null;
  readonly q2: number | null;
  readonly q3: number | null;
  /** Largest value. */
  readonly max: number;
}

/** One expected `variable_based` entry; `data` is null where the privacy threshold withholds it. */
export interface ExpectedEntry {
  /** Variable code. */
  readonly variable: string;
  /** Dataset code, or ALL_DATASETS. */
  readonly dataset: string;
  /** The statistics. */
  readonly data: NumericSummary | null;
}

/**
 * The expected per-dataset and pooled statistics of numerical `variables` over `datasets` of a model, the
 * way Exaflow's descriptive_stats makes them: each dataset summarised where it lies (quartiles included,
 * withheld below the privacy threshold), then the pooled entry from the sums of the datasets that were not
 * withheld only, without quartiles.
 */
export function expectedDescriptive(data: MipData, id: string, datasets: readonly string[], variables: readonly string[]): ExpectedEntry[] {
  const model = findModel(data, id);
  const numeric = new Set(
    allVariables(model.metadata)
      .filter((v) => !v.isCategorical)
      .map((v) => v.code),
  );
  const rows = model.files.flatMap((file) => file.rows).filter((row) => datasets.includes(row.dataset ?? ''));
  const entries: ExpectedEntry[] = [];
  for (const variable of variables.filter((v) => numeric.has(v))) {
    const cells = datasets.map((dataset) => rows.filter((r) => r.dataset === dataset).map((r) => r[variable] ?? ''));
    datasets.forEach((dataset, i) => entries.push({ variable, dataset, data: summarize(cells[i] ?? []) }));
    entries.push({ variable, dataset: ALL_DATASETS, data: pooled(cells.filter((c) => summarize(c) !== null)) });
  }
  return entries;
}

function findModel(data: MipData, id: string): DataModel {
  const model = data.models.find((m) => modelId(m) === id);
  if (!model) throw new Error(`data model ${id} is not in the data (${data.models.map(modelId).join(', ')})`);
  return model;
}

/** Statistics of one dataset's cells ('' is missing); null below the privacy threshold. */
export function summarize(cells: readonly string[]): NumericSummary | null {
  const values = numbers(cells);
  if (values.length < MINIMUM_ROW_COUNT) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  const sorted = [...values].sort((a, b) => a - b);
  return {
    num_dtps: values.length,
    num_na: cells.length - values.length,
    num_total: cells.length,
    mean,
    std: Math.sqrt(variance),
    min: sorted[0] ?? NaN,
    q1: quantile(sorted, 0.25),
    q2: quantile(sorted, 0.5),
    q3: quantile(sorted, 0.75),
    max: sorted.at(-1) ?? NaN,
  };
}

/** The pooled statistics of several datasets' cells (each above the threshold); null when there are none. */
export function pooled(datasets: readonly (readonly string[])[]): NumericSummary | null {
  const cells = datasets.flat();
  const values = numbers(cells);
  if (datasets.length === 0 || values.length === 0) return null;
  const sx = values.reduce((a, b) => a + b, 0);
  const sxx = values.reduce((a, b) => a + b * b, 0);
  const n = values.length;
  const mean = sx / n;
  return {
    num_dtps: n,
    num_na: cells.length - n,
    num_total: cells.length,
    mean,
    std: Math.sqrt(Math.max(0, (sxx - n * mean * mean) / (n - 1))),
    min: Math.min(...values),
    q1: null,
    q2: null,
    q3: null,
    max: Math.max(...values),
  };
}

function numbers(cells: readonly string[]): number[] {
  return cells.filter((c) => c.trim() !== '').map(Number);
}

/** The `p` quantile of sorted values with linear interpolation between the closest ranks (numpy's default). */
export function quantile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const lower = sorted[below] ?? NaN;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] ?? NaN;
  return lower + (upper - lower) * (position - below);
}

/** Differences between an answer's `variable_based` entries and the expected ones (empty when they agree). */
export function compareDescriptive(actual: unknown, expected: readonly ExpectedEntry[], relative = 1e-9): string[] {
  const entries = variableBased(actual);
  if (!entries) return ['the result has no variable_based list'];
  const problems: string[] = [];
  for (const want of expected) {
    const got = entries.find((e) => e.variable === want.variable && e.dataset === want.dataset);
    problems.push(...entryProblems(want, got, relative));
  }
  return problems;
}

function entryProblems(want: ExpectedEntry, got: ActualEntry | undefined, relative: number): string[] {
  const where = `${want.variable} in ${want.dataset}`;
  if (!got) return [`${where}: missing from the result`];
  const withheld = got.data === null || got.data === undefined;
  if (want.data === null || withheld) {
    if ((want.data === null) === withheld) return [];
    return [`${where}: ${want.data === null ? 'should be withheld (fewer than 10 rows)' : 'withheld, but the data has enough rows'}`];
  }
  const data = got.data ?? {};
  const wanted = want.data;
  return (Object.keys(wanted) as (keyof NumericSummary)[])
    .filter((key) => !agrees(data[key], wanted[key], relative))
    .map((key) => `${where}: ${key} is ${String(data[key])}, the CSV files give ${String(wanted[key])}`);
}

/** A value agrees with a number within the relative precision, and with null when absent or null. */
function agrees(got: unknown, want: number | null, relative: number): boolean {
  if (want === null) return got === null || got === undefined;
  const a = Number(got);
  return got !== null && Number.isFinite(a) && Math.abs(a - want) <= relative * Math.max(1, Math.abs(a), Math.abs(want));
}

interface ActualEntry {
  variable?: unknown;
  dataset?: unknown;
  data?: Record<string, unknown> | null;
}

function variableBased(actual: unknown): ActualEntry[] | undefined {
  if (typeof actual !== 'object' || actual === null || !('variable_based' in actual)) return undefined;
  const list = actual.variable_based;
  return Array.isArray(list) ? (list as ActualEntry[]) : undefined;
}

/** One line per pooled variable: what the answer says next to what the CSV files give, for the report. */
export function pooledLines(actual: unknown, expected: readonly ExpectedEntry[]): string[] {
  const entries = variableBased(actual) ?? [];
  return expected
    .filter((e) => e.dataset === ALL_DATASETS && e.data !== null)
    .map((want) => {
      const got = entries.find((e) => e.variable === want.variable && e.dataset === ALL_DATASETS)?.data ?? {};
      const w = want.data as NumericSummary;
      const pair = (key: keyof NumericSummary): string => `${key} ${format(got[key])} (CSV files: ${format(w[key])})`;
      return `${want.variable}, all datasets: ${pair('num_dtps')}, ${pair('mean')}, ${pair('std')}`;
    });
}

function format(value: unknown): string {
  return typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toPrecision(8)) : String(value);
}
