// The MIP data a run places on the worker nodes: data models (pathologies) in Exaflow's folder layout,
// a CDEsMetadata.json and CSV files per folder, with a `dataset` column naming each row's dataset.
// The same in-memory form comes from the generator or from a directory the user names.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ConfigError } from '../errors.ts';

/** One variable of a data model (a CDE), as CDEsMetadata.json describes it. */
export interface CdeVariable {
  /** Column name in the CSV files. */
  readonly code: string;
  /** Human label. */
  readonly label: string;
  /** `real`, `int` or `text`. */
  readonly sql_type: string;
  /** Whether the values are enumerated codes. */
  readonly isCategorical: boolean;
  /** The codes of a categorical variable. */
  readonly enumerations?: readonly { readonly code: string; readonly label: string }[];
  /** Lower bound of a numerical variable. */
  readonly min?: number;
  /** Upper bound of a numerical variable. */
  readonly max?: number;
  /** Unit of a numerical variable. */
  readonly units?: string;
}

/** A group of variables in CDEsMetadata.json. */
export interface CdeGroup {
  /** Group code. */
  readonly code: string;
  /** Human label. */
  readonly label: string;
  /** Variables of the group. */
  readonly variables?: readonly CdeVariable[];
  /** Nested groups. */
  readonly groups?: readonly CdeGroup[];
}

/** The contents of CDEsMetadata.json. */
export interface CdeMetadata extends CdeGroup {
  /** Data model version; the model's id is `code:version`. */
  readonly version: string;
}

/** One CSV file of a data model. */
export interface DataFile {
  /** File name, e.g. `edsd0.csv`. */
  readonly name: string;
  /** Rows as column → cell text ('' is a missing value). */
  readonly rows: readonly Readonly<Record<string, string>>[];
}

/** One data model folder. */
export interface DataModel {
  /** Folder name on the nodes, e.g. `dementia_v_0_1`. */
  readonly folder: string;
  /** CDEsMetadata.json. */
  readonly metadata: CdeMetadata;
  /** Its CSV files. */
  readonly files: readonly DataFile[];
}

/** All data of a run. */
export interface MipData {
  /** Where it came from: `generated (seed N)` or the directory. */
  readonly origin: string;
  /** The data models. */
  readonly models: readonly DataModel[];
}

/** `code:version`, the id Exaflow gives a data model. */
export function modelId(model: DataModel): string {
  return `${model.metadata.code}:${model.metadata.version}`;
}

/** Every variable of the metadata, groups included (depth first). */
export function allVariables(group: CdeGroup): CdeVariable[] {
  return [...(group.variables ?? []), ...(group.groups ?? []).flatMap(allVariables)];
}

/** The dataset codes of a file (its `dataset` column), in first-seen order. */
export function datasetsOf(file: DataFile): string[] {
  return [...new Set(file.rows.map((row) => row.dataset ?? '').filter((code) => code !== ''))];
}

/** Reads a data directory laid out as the guide says: `<dir>/<pathology>/{CDEsMetadata.json,*.csv}`. */
export async function readDataDir(dir: string): Promise<MipData> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
    throw new ConfigError(`data directory '${dir}' cannot be read`, 'pass --data with a directory holding one folder per pathology');
  });
  const models: DataModel[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    models.push(await readModelFolder(join(dir, entry.name), entry.name));
  }
  if (models.length === 0) {
    throw new ConfigError(
      `data directory '${dir}' holds no pathology folder`,
      'put each pathology in its own folder with CDEsMetadata.json and its CSV files',
    );
  }
  return { origin: dir, models };
}

async function readModelFolder(path: string, folder: string): Promise<DataModel> {
  const metadataPath = join(path, 'CDEsMetadata.json');
  const text = await readFile(metadataPath, 'utf8').catch(() => {
    throw new ConfigError(`pathology folder '${path}' has no CDEsMetadata.json`, 'add the data model metadata next to its CSV files');
  });
  let metadata: CdeMetadata;
  try {
    metadata = JSON.parse(text) as CdeMetadata;
  } catch (error) {
    throw new ConfigError(`${metadataPath} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof metadata.code !== 'string' || typeof metadata.version !== 'string') {
    throw new ConfigError(`${metadataPath} lacks a string "code" and "version" (Exaflow skips such a folder)`);
  }
  const names = (await readdir(path)).filter((name) => name.endsWith('.csv')).sort();
  const files: DataFile[] = [];
  for (const name of names) files.push({ name, rows: parseCsv(await readFile(join(path, name), 'utf8'), join(path, name)) });
  if (files.length === 0) throw new ConfigError(`pathology folder '${path}' has no CSV file`);
  return { folder, metadata, files };
}

/** Rows of a CSV text with a header line. */
export function parseCsv(text: string, what: string): Record<string, string>[] {
  try {
    return parse<Record<string, string>>(text, { columns: true, skip_empty_lines: true });
  } catch (error) {
    throw new ConfigError(`${what} is not a valid CSV file: ${(error as Error).message}`);
  }
}
