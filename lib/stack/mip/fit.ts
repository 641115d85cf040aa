// Fitting the MIP charts to a cluster: what they need of the nodes (refused, changing nothing, where
// the run may not provide it), the labels and untainted masters the run provides on a disposable
// cluster, and each worker node's share of the data.
import type { Cluster, OpOptions } from '../../cluster/types.ts';
import { ConfigError } from '../../errors.ts';
import type { Kube } from '../../k8s/client.ts';
import { readDataDir, type MipData } from '../../exaflow/data.ts';
import { generateData } from '../../exaflow/generate.ts';
import { placeData, type DataPlacement } from '../../exaflow/placement.ts';
import { applyNodeLabels } from '../cluster-facts.ts';
import { fitRefusal, planFit, type ClusterFacts, type FitPlan } from '../cluster-fit.ts';
import type { Manifest } from '../manifest-fields.ts';
import type { StackSpec } from '../types.ts';
import { untaintMasters, workerNodes } from './cluster-needs.ts';
import { localWorkers } from './layout.ts';

/** What the fit steps use of an install. */
export interface FitRun {
  readonly spec: StackSpec;
  readonly cluster: Cluster;
  readonly kube: Kube;
  /** Tells the report how the stack was fitted. */
  readonly note: (line: string) => void;
  readonly options: OpOptions;
}

/** What the charts need of the nodes; a refusal naming it where the run may not provide it. */
export function checkFit({ cluster }: FitRun, docs: readonly Manifest[], facts: ClusterFacts): FitPlan {
  const plan = planFit(docs, facts);
  if (plan.classSwaps.length > 0) {
    const classes = [...new Set(plan.classSwaps.map((s) => s.asked))].join(', ');
    throw new ConfigError(
      `the MIP charts ask for StorageClass ${classes}, which cluster ${cluster.name} lacks`,
      'run them unmanaged (managed_cluster: false / cluster.managed: false) or set the storage class values to one the cluster has',
    );
  }
  const refusal = fitRefusal(plan, cluster.name);
  if (refusal !== undefined && !cluster.disposable)
    throw new ConfigError(refusal, 'label the nodes first (see the guide), or run on a disposable kind cluster, where the run labels them');
  return plan;
}

/** The cluster's nodes as they will be once the plan's labels are added. */
export function withLabels(facts: ClusterFacts, plan: FitPlan): ClusterFacts {
  const added = new Map(plan.nodeLabels.map((n) => [n.node, n.labels]));
  return { ...facts, nodes: facts.nodes.map((n) => ({ ...n, labels: { ...n.labels, ...(added.get(n.name) ?? {}) } })) };
}

/** Node labels and the master taint, on a disposable cluster (checkFit refused any other that lacks them). */
export async function applyFit({ kube, cluster, note, options }: FitRun, docs: readonly Manifest[], plan: FitPlan): Promise<void> {
  await applyNodeLabels(kube, plan, options.signal);
  for (const change of plan.changes) note(change);
  if (cluster.disposable) for (const line of await untaintMasters(kube, docs, options.signal)) note(line);
}

/** Each worker node's share of the data, when the local workers read it from a host path the run may write. */
export async function planData(
  { spec, cluster, note }: FitRun,
  docs: readonly Manifest[],
  facts: ClusterFacts,
): Promise<DataPlacement | undefined> {
  const workers = localWorkers(docs);
  if (!workers) {
    note('the Exaflow chart renders no local workers (nodeType: localworker): no data placed');
    return undefined;
  }
  const nodes = workerNodes(workers, facts, cluster.name);
  if (workers.claim || workers.hostPath === undefined) {
    note(
      `${workers.name} reads its data from a volume claim (managed mode): the run does not place data; the checks use what the controller reports`,
    );
    return undefined;
  }
  const data: MipData = spec.data ? await readDataDir(spec.data) : generateData();
  if (workers.replicas < nodes.length)
    note(
      `${workers.name} runs ${workers.replicas} worker(s) on ${nodes.length} labelled nodes: data on a node without a worker is not visible`,
    );
  return placeData(data, nodes, workers.hostPath);
}
