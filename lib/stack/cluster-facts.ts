// Reads what a cluster offers a stack (StorageClasses, node labels, ingress classes, Traefik's
// IngressRoute resource) and labels the nodes of a disposable cluster, through the Kubernetes API.
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { isNotFound, requestOptions, type Kube } from '../k8s/client.ts';
import type { ClusterFacts, FitPlan } from './cluster-fit.ts';
import type { ServedRoutes } from './routes.ts';

type FactsApi = Pick<Kube, 'core' | 'storage' | 'networking' | 'extensions'>;

const DEFAULT_STORAGE_CLASS = 'storageclass.kubernetes.io/is-default-class';
const DEFAULT_INGRESS_CLASS = 'ingressclass.kubernetes.io/is-default-class';
const INGRESS_ROUTE_CRD = 'ingressroutes.traefik.io';

/** The cluster's StorageClasses and nodes. */
export async function readClusterFacts(kube: FactsApi, signal: AbortSignal): Promise<ClusterFacts> {
  const options = requestOptions(signal);
  const [classes, nodes] = await Promise.all([kube.storage.listStorageClass({}, options), kube.core.listNode({}, options)]);
  return {
    storageClasses: classes.items.map((c) => ({
      name: c.metadata?.name ?? '',
      isDefault: c.metadata?.annotations?.[DEFAULT_STORAGE_CLASS] === 'true',
    })),
    nodes: nodes.items.map((n) => ({ name: n.metadata?.name ?? '', labels: n.metadata?.labels ?? {} })),
  };
}

/** The IngressClasses of the cluster and whether it has Traefik's IngressRoute resource. */
export async function readServedRoutes(kube: FactsApi, signal: AbortSignal): Promise<ServedRoutes> {
  const options = requestOptions(signal);
  const classes = await kube.networking.listIngressClass({}, options);
  const ingressRoutes = await kube.extensions.readCustomResourceDefinition({ name: INGRESS_ROUTE_CRD }, options).then(
    () => true,
    (error: unknown) => {
      if (isNotFound(error)) return false;
      throw error;
    },
  );
  return {
    ingressClasses: classes.items.map((c) => c.metadata?.name ?? '').filter(Boolean),
    hasDefaultClass: classes.items.some((c) => c.metadata?.annotations?.[DEFAULT_INGRESS_CLASS] === 'true'),
    ingressRoutes,
  };
}

/** Adds the plan's node labels. */
export async function applyNodeLabels(kube: FactsApi, plan: FitPlan, signal: AbortSignal): Promise<void> {
  for (const { node, labels } of plan.nodeLabels) {
    await kube.core.patchNode({ name: node, body: { metadata: { labels } } }, mergePatch(signal));
  }
}

/** Request options that send a JSON merge patch (client-node sends JSON patch unless told). */
export function mergePatch(signal: AbortSignal): ReturnType<typeof setHeaderOptions> {
  return setHeaderOptions('Content-Type', PatchStrategy.MergePatch, requestOptions(signal));
}
