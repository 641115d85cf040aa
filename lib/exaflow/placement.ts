// Which worker node holds which CSV files: each pathology's files dealt round robin over the worker
// nodes (as Exaflow's own test-data builder does), every node getting every pathology's metadata, so
// the federation has to combine partial results from several nodes to answer one experiment.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { allVariables, datasetsOf, modelId, type DataModel, type MipData } from './data.ts';

/** What one node holds. */
export interface NodeData {
  /** Node name. */
  readonly node: string;
  /** Per data model folder: its id and the CSV files placed there. */
  readonly models: readonly {
    readonly folder: string;
    readonly id: string;
    readonly files: readonly string[];
    readonly datasets: readonly string[];
  }[];
}

/** The data of a run dealt over the worker nodes. */
export interface DataPlacement {
  /** The data itself (the checks compute expected values from it). */
  readonly data: MipData;
  /** Where each node's share goes on the node (the chart's host path for the local workers' CSVs). */
  readonly hostDir: string;
  /** Each worker node's share. */
  readonly nodes: readonly NodeData[];
}

/** Deals each model's files round robin over `nodes` (sorted by name, so the same nodes give the same split). */
export function placeData(data: MipData, nodes: readonly string[], hostDir: string): DataPlacement {
  const sorted = [...nodes].sort();
  const shares = sorted.map((node, index) => ({
    node,
    models: data.models.map((model) => {
      const files = model.files.filter((_, i) => i % sorted.length === index);
      return { folder: model.folder, id: modelId(model), files: files.map((f) => f.name), datasets: files.flatMap(datasetsOf) };
    }),
  }));
  return { data, hostDir, nodes: shares };
}

/** Writes one node's share into `dir` as the worker reads it: `<dir>/<folder>/{CDEsMetadata.json,*.csv}`. */
export async function writeNodeShare(placement: DataPlacement, node: string, dir: string): Promise<void> {
  const share = placement.nodes.find((n) => n.node === node);
  if (!share) throw new Error(`node ${node} has no share of the data`);
  for (const entry of share.models) {
    const model = placement.data.models.find((m) => m.folder === entry.folder) as DataModel;
    const folder = join(dir, entry.folder);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'CDEsMetadata.json'), `${JSON.stringify(model.metadata, null, 2)}\n`);
    const columns = [
      'dataset',
      ...allVariables(model.metadata)
        .map((v) => v.code)
        .filter((c) => c !== 'dataset'),
    ];
    for (const file of model.files.filter((f) => entry.files.includes(f.name))) {
      await writeFile(
        join(folder, file.name),
        stringify(
          file.rows.map((row) => ({ ...row })),
          { header: true, columns },
        ),
      );
    }
  }
}

/** Dataset code → the node holding it, per data model id. */
export function expectedLocations(placement: DataPlacement): Record<string, Record<string, string>> {
  const locations: Record<string, Record<string, string>> = {};
  for (const share of placement.nodes) {
    for (const model of share.models) {
      const byDataset = (locations[model.id] ??= {});
      for (const dataset of model.datasets) byDataset[dataset] = share.node;
    }
  }
  return locations;
}
