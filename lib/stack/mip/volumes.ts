// The web chart's host-path PersistentVolumes (the backend database, its files and logs) are
// cluster-scoped and outlive the run's namespace, and their directories outlive the volumes. On a
// cluster the run may change, each run starts from an empty database: a volume left by an earlier run
// is deleted, and its directory emptied on the nodes it is pinned to (the new random passwords would
// not open the old database).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster, OpOptions } from '../../cluster/types.ts';
import { deleteUnlessGone, isNotFound, requestOptions, type Kube } from '../../k8s/client.ts';
import type { NodeFact } from '../cluster-fit.ts';
import { isRecord, list, record, type Manifest } from '../manifest-fields.ts';
import { labelled } from './cluster-needs.ts';

/** A rendered host-path PersistentVolume and the nodes it may live on. */
interface HostVolume {
  readonly name: string;
  readonly path: string;
  readonly nodes: readonly string[];
}

/** The host-path PersistentVolumes among the rendered objects, with the nodes their nodeAffinity allows. */
export function hostVolumes(docs: readonly Manifest[], nodes: readonly NodeFact[]): HostVolume[] {
  return docs
    .filter((d) => d.kind === 'PersistentVolume' && typeof record(record(d.spec).hostPath).path === 'string')
    .map((d) => ({
      name: String(record(d.metadata).name),
      path: String(record(record(d.spec).hostPath).path),
      nodes: affinityNodes(record(d.spec).nodeAffinity, nodes),
    }));
}

/** Nodes matching the first required node-selector term's `In` expressions (all nodes when there is none). */
function affinityNodes(affinity: unknown, nodes: readonly NodeFact[]): string[] {
  const term = list(record(record(affinity).required).nodeSelectorTerms).filter(isRecord)[0];
  const selector: Record<string, string> = {};
  for (const expression of list(term?.matchExpressions).filter(isRecord)) {
    const values = list(expression.values);
    if (expression.operator === 'In' && values.length === 1) selector[String(expression.key)] = String(values[0]);
  }
  return labelled(nodes, selector).map((n) => n.name);
}

/** Deletes leftover (unbound) volumes of these names and empties their directories; returns notes. */
export async function freshHostVolumes(
  kube: Pick<Kube, 'core'>,
  cluster: Cluster,
  volumes: readonly HostVolume[],
  options: OpOptions,
): Promise<string[]> {
  const notes: string[] = [];
  for (const volume of volumes) {
    const existing = await kube.core.readPersistentVolume({ name: volume.name }, requestOptions(options.signal)).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    // Still bound: the release is being upgraded in place, with its Secrets and database.
    if (existing?.status?.phase === 'Bound') continue;
    if (existing) {
      await deleteUnlessGone(() => kube.core.deletePersistentVolume({ name: volume.name }, requestOptions(options.signal)));
      notes.push(
        `PersistentVolume ${volume.name} was left by an earlier run (${existing.status?.phase ?? 'unknown'}): deleted, so this run starts from an empty database`,
      );
    }
    await emptyOnNodes(cluster, volume, options);
  }
  return notes;
}

async function emptyOnNodes(cluster: Cluster, volume: HostVolume, options: OpOptions): Promise<void> {
  if (!cluster.files) return;
  const empty = await mkdtemp(join(tmpdir(), 'mip-verify-empty-'));
  try {
    for (const node of volume.nodes) await cluster.files.replaceDir(node, empty, volume.path, options);
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
}
