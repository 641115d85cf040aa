// Generated MIP data: two pathologies (dementia, tbi) with several datasets each, numerical and
// categorical variables and a few missing values, from a seeded generator so a run's data can be
// rebuilt exactly (the checks compute their expected statistics from these same rows).
import type { CdeMetadata, CdeVariable, DataFile, DataModel, MipData } from './data.ts';

/** The seed runs use unless told otherwise. */
export const DEFAULT_SEED = 20261122;

/** How a numerical column is drawn: uniform in [min, max], rounded to `decimals`, missing with `missing` probability. */
interface NumericSpec {
  readonly variable: CdeVariable;
  readonly decimals: number;
  readonly missing: number;
}

interface ModelSpec {
  readonly folder: string;
  readonly code: string;
  readonly label: string;
  readonly datasets: readonly { readonly code: string; readonly label: string; readonly rows: number }[];
  readonly numeric: readonly NumericSpec[];
  readonly categorical: readonly CdeVariable[];
}

/** A numerical variable: `[min, max]` and its unit. */
const numerical = (sqlType: 'real' | 'int', code: string, label: string, range: readonly [number, number, string]): CdeVariable => ({
  code,
  label,
  sql_type: sqlType,
  isCategorical: false,
  min: range[0],
  max: range[1],
  units: range[2],
});
const real = (code: string, label: string, range: readonly [number, number, string]): CdeVariable => numerical('real', code, label, range);
const int = (code: string, label: string, range: readonly [number, number, string]): CdeVariable => numerical('int', code, label, range);
const nominal = (code: string, label: string, codes: readonly string[]): CdeVariable => ({
  code,
  label,
  sql_type: 'text',
  isCategorical: true,
  enumerations: codes.map((c) => ({ code: c, label: c })),
});

const datasets = (prefix: string, label: string, counts: readonly number[]): ModelSpec['datasets'] =>
  counts.map((rows, i) => ({ code: `${prefix}${i}`, label: `${label} ${i}`, rows }));

const MODELS: readonly ModelSpec[] = [
  {
    folder: 'dementia_v_0_1',
    code: 'dementia',
    label: 'Dementia',
    datasets: [
      ...datasets('edsd', 'EDSD', [64, 58]),
      ...datasets('ppmi', 'PPMI', [47, 52]),
      ...datasets('desd-synthdata', 'DESD synthdata', [71, 66]),
    ],
    numeric: [
      { variable: real('lefthippocampus', 'Left hippocampus', [1.5, 4.5, 'cm3']), decimals: 4, missing: 0.05 },
      { variable: real('righthippocampus', 'Right hippocampus', [1.5, 4.6, 'cm3']), decimals: 4, missing: 0.05 },
      { variable: int('agevalue', 'Age', [50, 92, 'years']), decimals: 0, missing: 0 },
    ],
    categorical: [
      nominal('gender', 'Gender', ['F', 'M']),
      nominal('alzheimerbroadcategory', 'Alzheimer broad category', ['AD', 'CN', 'Other']),
    ],
  },
  {
    folder: 'tbi_v_0_1',
    code: 'tbi',
    label: 'Traumatic Brain Injury',
    datasets: datasets('dummy_tbi', 'Dummy TBI', [40, 44]),
    numeric: [
      { variable: int('gcs_total_score', 'GCS total score', [3, 15, '']), decimals: 0, missing: 0.05 },
      { variable: int('age_value', 'Age', [18, 90, 'years']), decimals: 0, missing: 0 },
    ],
    categorical: [nominal('gender_type', 'Gender', ['F', 'M'])],
  },
];

/** The generated data of a run. */
export function generateData(seed: number = DEFAULT_SEED): MipData {
  const random = mulberry32(seed);
  return { origin: `generated (seed ${seed})`, models: MODELS.map((spec) => generateModel(spec, random)) };
}

function generateModel(spec: ModelSpec, random: () => number): DataModel {
  const metadata: CdeMetadata = {
    code: spec.code,
    version: '0.1',
    label: spec.label,
    variables: [
      nominal(
        'dataset',
        'Dataset',
        spec.datasets.map((d) => d.code),
      ),
    ],
    groups: [{ code: 'measurements', label: 'Measurements', variables: [...spec.numeric.map((n) => n.variable), ...spec.categorical] }],
  };
  const files: DataFile[] = spec.datasets.map((dataset) => ({
    name: `${dataset.code}.csv`,
    rows: Array.from({ length: dataset.rows }, () => generateRow(spec, dataset.code, random)),
  }));
  return { folder: spec.folder, metadata, files };
}

function generateRow(spec: ModelSpec, dataset: string, random: () => number): Record<string, string> {
  const row: Record<string, string> = { dataset };
  for (const { variable, decimals, missing } of spec.numeric) {
    const value = (variable.min ?? 0) + random() * ((variable.max ?? 1) - (variable.min ?? 0));
    row[variable.code] = random() < missing ? '' : value.toFixed(decimals);
  }
  for (const variable of spec.categorical) {
    const codes = variable.enumerations ?? [];
    row[variable.code] = codes[Math.floor(random() * codes.length)]?.code ?? '';
  }
  return row;
}

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same data on every machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
