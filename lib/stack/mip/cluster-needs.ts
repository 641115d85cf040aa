// What the MIP charts need from the cluster and how the run provides it: the values that fit them to
// the cluster (unmanaged storage, how many local workers, the ingress class and host), enough nodes
// labelled for the local workers, a schedulable master node, and each worker node's share of the data.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Taint } from '@kubernetes/client-node';
import type { Cluster, OpOptions } from '../../cluster/types.ts';
import { ConfigError } from '../../errors.ts';
import { requestOptions, type Kube } from '../../k8s/client.ts';
import { writeNodeShare, type DataPlacement } from '../../exaflow/placement.ts';
import type { ClusterFacts, NodeFact } from '../cluster-fit.ts';
import { podSpecs, record, type Manifest } from '../manifest-fields.ts';
import type { ServedRoutes } from '../routes.ts';
import type { ChartSource } from '../types.ts';
import { mergeValues, valueAt, valueTree, type Values } from './values.ts';
import type { WorkerSet } from './layout.ts';

/** The host name the web chart's Ingress is given when the user names none (`*.localhost` reaches this machine). */
export const DEFAULT_PUBLIC_HOST = 'mip.localhost';

const CONTROL_PLANE_TAINT = 'node-role.kubernetes.io/control-plane';

/** What the harness's values depend on. */
export interface ValuesContext {
  readonly facts: ClusterFacts;
  readonly served: ServedRoutes;
  /** The run's namespace: the Exaflow chart's `namespace` value (its objects go there, not to the Helm release's namespace). */
  readonly namespace?: string;
  /** `exaflow_images` naming images built from the chart's own checkout, when there are such. */
  readonly engineImages?: Values;
}

/**
 * The harness's values for one chart, each only where the user's values files do not set it — unmanaged mode (host paths, node labels; the guide's VM layout), one local worker per
 * node labelled worker=true, the run's namespace and images built from the chart's checkout (Exaflow); the cluster's ingress class, a host name, plain HTTP and no Keycloak (web).
 */
export function harnessValues(role: ChartSource['role'], user: Values, ctx: ValuesContext): Values {
  const pairs: [string, unknown][] =
    role === 'exaflow'
      ? [
          ['managed_cluster', false],
          ['localnodes', Math.max(1, labelled(ctx.facts.nodes, { worker: 'true' }).length)],
          ...(ctx.namespace === undefined ? [] : [['namespace', ctx.namespace] as [string, unknown]]),
          ...engineValues(ctx.engineImages),
        ]
      : [
          ['cluster.managed', false],
          ['network.publicHost', DEFAULT_PUBLIC_HOST],
          ['network.externalProtocol', 'http'],
          ['network.publicProtocol', 'http'],
          ['platform-ui.ingress.className', ctx.served.ingressClasses[0] ?? ''],
          ['platform-ui.ingress.certManagerClusterIssuer', ''],
          ['keycloak.enabled', false],
        ];
  return pairs
    .filter(([path]) => valueAt(user, path) === undefined)
    .reduce<Values>((values, [path, value]) => mergeValues(values, valueTree(path, value)), {});
}

/** The built images' values, and Flower off: upstream's worker Dockerfile installs no Flower group, so its algorithms could not run. */
function engineValues(images: Values | undefined): [string, unknown][] {
  if (images === undefined) return [];
  return [
    ['exaflow_images.repository', valueAt(images, 'exaflow_images.repository')],
    ['exaflow_images.version', valueAt(images, 'exaflow_images.version')],
    ['flower.enabled', false],
  ];
}

/** The nodes carrying every label of `selector`. */
export function labelled(nodes: readonly NodeFact[], selector: Readonly<Record<string, string>>): NodeFact[] {
  return nodes.filter((node) => Object.entries(selector).every(([key, value]) => node.labels[key] === value));
}

/** The nodes the local workers go to; ConfigError when fewer than the workers (one per node). */
export function workerNodes(workers: WorkerSet, facts: ClusterFacts, cluster: string): string[] {
  const nodes = labelled(facts.nodes, workers.nodeSelector).map((n) => n.name);
  if (nodes.length >= workers.replicas) return nodes;
  const selector =
    Object.entries(workers.nodeSelector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',') || '(any)';
  throw new ConfigError(
    `the Exaflow chart runs ${workers.replicas} local workers, one per node labelled ${selector}, and cluster ${cluster} has ${nodes.length} such node(s)${nodes.length > 0 ? ` (${nodes.join(', ')})` : ''}`,
    `lower localnodes in the Exaflow values, or label more nodes: kubectl label node <name> ${selector}`,
  );
}

/**
 * Removes the control-plane NoSchedule taint from nodes the pods select with `master=true` (as Exaflow's
 * own CI does): the controller, global worker, aggregation server and backend must run there. Returns notes.
 */
export async function untaintMasters(kube: Pick<Kube, 'core'>, docs: readonly Manifest[], signal: AbortSignal): Promise<string[]> {
  const wantsMaster = docs.flatMap(podSpecs).some((spec) => record(spec.nodeSelector).master === 'true');
  if (!wantsMaster) return [];
  const nodes = await kube.core.listNode({ labelSelector: 'master=true' }, requestOptions(signal));
  const notes: string[] = [];
  for (const node of nodes.items) {
    const taints: V1Taint[] = node.spec?.taints ?? [];
    const kept = taints.filter((t) => !(t.key === CONTROL_PLANE_TAINT && t.effect === 'NoSchedule'));
    if (kept.length === taints.length) continue;
    const name = node.metadata?.name ?? '';
    await kube.core.patchNode({ name, body: [{ op: 'replace', path: '/spec/taints', value: kept }] }, requestOptions(signal));
    notes.push(
      `node ${name} (master=true) had the control-plane NoSchedule taint, which the MIP pods do not tolerate: removed, as Exaflow's own CI does`,
    );
  }
  return notes;
}

/** Writes each worker node's share of the data into the chart's host directory on that node. */
export async function placeOnNodes(cluster: Cluster, placement: DataPlacement, options: OpOptions): Promise<void> {
  const files = cluster.files;
  if (!files)
    throw new ConfigError(
      `cluster ${cluster.name} gives no way to put files on its nodes`,
      `put the data under ${placement.hostDir} on each worker node yourself`,
    );
  for (const share of placement.nodes) {
    const local = await mkdtemp(join(tmpdir(), 'mip-verify-data-'));
    try {
      await writeNodeShare(placement, share.node, local);
      const datasets = share.models.flatMap((m) => m.datasets);
      options.progress?.(`data on ${share.node}: ${datasets.join(', ') || 'none'} under ${placement.hostDir}`);
      await files.replaceDir(share.node, local, placement.hostDir, options);
    } finally {
      await rm(local, { recursive: true, force: true });
    }
  }
}
