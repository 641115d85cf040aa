// What the rendered MIP charts ask of the cluster, read from the objects themselves rather than from
// key names (which differ between chart versions): the local workers (how many, on which nodes,
// reading their CSVs from which host path) and the Secrets the pods use but no chart creates.
import { containersOf, isRecord, list, podSpecs, record, type Manifest } from '../manifest-fields.ts';

/** Where Exaflow's workers read their CSV files when nothing says otherwise. */
const DEFAULT_DATA_PATH = '/opt/csvs';

/** A set of Exaflow workers as rendered. */
export interface WorkerSet {
  /** Workload kind and name, e.g. `StatefulSet/exaflow-localworker`. */
  readonly name: string;
  /** Replicas (the chart's `localnodes`). */
  readonly replicas: number;
  /** The pod template's nodeSelector. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Host directory on each node mounted at the data path, when the data comes from the host. */
  readonly hostPath?: string;
  /** Whether the data comes from a claim instead (managed clusters). */
  readonly claim: boolean;
}

/** The local workers (`nodeType: localworker`), if the charts render any. */
export function localWorkers(docs: readonly Manifest[]): WorkerSet | undefined {
  return workerSet(docs, 'localworker');
}

/** The global worker, if rendered. */
export function globalWorker(docs: readonly Manifest[]): WorkerSet | undefined {
  return workerSet(docs, 'globalworker');
}

function workerSet(docs: readonly Manifest[], nodeType: string): WorkerSet | undefined {
  const doc = docs.find((d) => ['StatefulSet', 'Deployment'].includes(String(d.kind)) && templateLabels(d).nodeType === nodeType);
  if (!doc) return undefined;
  const spec = record(doc.spec);
  const podSpec = podSpecs(doc)[0] ?? {};
  const volume = dataVolume(podSpec);
  const claims = list(spec.volumeClaimTemplates)
    .filter(isRecord)
    .map((c) => String(record(c.metadata).name));
  const hostPath = record(volume?.hostPath).path;
  return {
    name: `${String(doc.kind)}/${String(record(doc.metadata).name)}`,
    replicas: typeof spec.replicas === 'number' ? spec.replicas : 1,
    nodeSelector: stringMap(podSpec.nodeSelector),
    ...(typeof hostPath === 'string' ? { hostPath } : {}),
    claim: volume === undefined ? claims.length > 0 : isRecord(volume.persistentVolumeClaim),
  };
}

/** The volume mounted where the worker container reads its data (its DATA_PATH). */
function dataVolume(podSpec: Manifest): Manifest | undefined {
  for (const container of containersOf(podSpec)) {
    const env = list(container.env)
      .filter(isRecord)
      .find((e) => e.name === 'DATA_PATH');
    const path = typeof env?.value === 'string' ? env.value : DEFAULT_DATA_PATH;
    const mount = list(container.volumeMounts)
      .filter(isRecord)
      .find((m) => m.mountPath === path);
    if (!mount) continue;
    return (
      list(podSpec.volumes)
        .filter(isRecord)
        .find((v) => v.name === mount.name) ?? { persistentVolumeClaim: { claimName: mount.name } }
    );
  }
  return undefined;
}

/** Secret name → the keys pods read from it, for Secrets the rendered objects use but do not define. */
export function missingSecrets(docs: readonly Manifest[]): Map<string, Set<string>> {
  const defined = new Set(docs.filter((d) => d.kind === 'Secret').map((d) => String(record(d.metadata).name)));
  const wanted = new Map<string, Set<string>>();
  const want = (name: unknown, key?: unknown): void => {
    if (typeof name !== 'string' || defined.has(name)) return;
    const keys = wanted.get(name) ?? new Set<string>();
    if (typeof key === 'string') keys.add(key);
    wanted.set(name, keys);
  };
  for (const podSpec of docs.flatMap(podSpecs)) {
    const containers = containersOf(podSpec);
    const keyRefs = containers.flatMap((c) => list(c.env)).map((env) => record(record(record(env).valueFrom).secretKeyRef));
    const whole = containers.flatMap((c) => list(c.envFrom)).map((from) => record(record(from).secretRef));
    const volumes = list(podSpec.volumes).map((v) => record(record(v).secret));
    for (const ref of keyRefs.filter(required)) want(ref.name, ref.key);
    for (const ref of whole.filter(required)) want(ref.name);
    for (const ref of volumes.filter((s) => s.secretName !== undefined && s.optional !== true)) want(ref.secretName);
  }
  return wanted;
}

function required(ref: Manifest): boolean {
  return ref.name !== undefined && ref.optional !== true;
}

function templateLabels(doc: Manifest): Record<string, string> {
  return stringMap(record(record(record(doc.spec).template).metadata).labels);
}

function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(record(value)).map(([k, v]) => [k, String(v)]));
}

/** ConfigMap name and key where the web chart writes whether the backend authenticates. */
export const AUTHENTICATION_KEY = { configMap: 'mip-config', key: 'keycloak.AUTHENTICATION' } as const;

/** The rendered `keycloak.AUTHENTICATION` of the web chart's ConfigMap, if it renders one. */
export function renderedAuthentication(docs: readonly Manifest[]): string | undefined {
  const map = docs.find((d) => d.kind === 'ConfigMap' && record(d.metadata).name === AUTHENTICATION_KEY.configMap);
  const value = record(map?.data)[AUTHENTICATION_KEY.key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** Cluster-scoped kinds among what the MIP charts render (everything else lives in a namespace). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
]);

/**
 * Every namespace the rendered objects go to, the release's first: a chart that writes its own
 * `metadata.namespace` (the Exaflow chart writes `{{ .Values.namespace }}`) puts its objects there.
 */
export function renderedNamespaces(docs: readonly Manifest[], release: string): string[] {
  const named = docs.filter((d) => !CLUSTER_SCOPED.has(String(d.kind))).map((d) => record(d.metadata).namespace);
  return [...new Set([release, ...named.filter((n): n is string => typeof n === 'string' && n !== '')])];
}

/** A Service the charts render with a fixed node port (the Exaflow controller's LoadBalancer on 30000 when unmanaged). */
export interface FixedNodePort {
  /** `namespace/name` of the Service (release namespace when the chart writes none). */
  readonly service: string;
  /** Its type. */
  readonly type: string;
  /** The node port. */
  readonly nodePort: number;
}

/** Services with a node port written in the chart. */
export function fixedNodePorts(docs: readonly Manifest[], release: string): FixedNodePort[] {
  return docs
    .filter((d) => d.kind === 'Service')
    .flatMap((d) => {
      const meta = record(d.metadata);
      const service = `${typeof meta.namespace === 'string' ? meta.namespace : release}/${String(meta.name)}`;
      return list(record(d.spec).ports)
        .filter(isRecord)
        .filter((p) => typeof p.nodePort === 'number')
        .map((p) => ({
          service,
          type: typeof record(d.spec).type === 'string' ? String(record(d.spec).type) : 'ClusterIP',
          nodePort: Number(p.nodePort),
        }));
    });
}
