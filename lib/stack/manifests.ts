// The rendered objects of a kustomize stack and what the deployer changes in them before applying:
// image overrides, the run's namespace, and the pull policy of images loaded into the nodes.
import { parseAllDocuments, stringify } from 'yaml';
import { containersOf, imagesOf, isRecord, podSpecs, type Manifest } from './manifest-fields.ts';
import type { StackSpec } from './types.ts';

export type { Manifest } from './manifest-fields.ts';

/** The prepared objects of a stack. */
export interface PreparedStack {
  /** The objects, the run's Namespace first. */
  readonly docs: Manifest[];
  /** Image override keys that matched no container. */
  readonly unmatched: string[];
  /** Every image the containers run, after overrides. */
  readonly images: string[];
  /** The namespace the stack's objects named and that was replaced by the run's, when they named one. */
  readonly relocatedFrom?: string;
}

// Kinds without a namespace; everything else gets the stack's namespace when it names none.
const clusterScoped = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'IngressClass',
  'PriorityClass',
  'RuntimeClass',
  'CSIDriver',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'VolumeSnapshotClass',
]);

/**
 * The rendered objects with image overrides applied and placed in the run's namespace. Objects without a
 * namespace get it; when every namespaced object names the same one (a kustomization's `namespace:`),
 * the stack is moved into the run's namespace, whose removal the run owns, and that Namespace object is
 * dropped. Objects spread over several namespaces keep theirs.
 */
export function prepareStack(text: string, spec: StackSpec): PreparedStack {
  let docs = parseAllDocuments(text)
    .map((doc) => doc.toJS() as unknown)
    .filter(isRecord);
  const unmatched = overrideImages(docs, spec.images);
  const namespaced = docs.filter((doc) => !clusterScoped.has(kindOf(doc)));
  const named = new Set(
    namespaced.map((doc) => metadataOf(doc).namespace).filter((ns): ns is string => typeof ns === 'string' && ns !== ''),
  );
  const only = named.size === 1 && namespaced.every((doc) => metadataOf(doc).namespace) ? [...named][0] : undefined;
  const relocatedFrom = only !== undefined && only !== spec.namespace ? only : undefined;
  if (relocatedFrom) docs = docs.filter((doc) => !(kindOf(doc) === 'Namespace' && metadataOf(doc).name === relocatedFrom));
  for (const doc of namespaced) {
    const metadata = metadataOf(doc);
    if (!metadata.namespace || metadata.namespace === relocatedFrom) metadata.namespace = spec.namespace;
  }
  if (!docs.some((d) => kindOf(d) === 'Namespace' && metadataOf(d).name === spec.namespace)) {
    docs.unshift({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: spec.namespace } });
  }
  return { docs, unmatched, images: imagesOf(docs), ...(relocatedFrom ? { relocatedFrom } : {}) };
}

/** The objects as one YAML stream for kubectl. */
export function serialize(docs: readonly Manifest[]): string {
  // kubectl reads YAML 1.1, where an unquoted `off` or `yes` is a boolean: quote such strings.
  return docs.map((doc) => stringify(doc, { version: '1.1' })).join('---\n');
}

/**
 * Containers whose image was loaded into the nodes and that would pull it anyway (`imagePullPolicy:
 * Always`, or no policy with a `latest` or missing tag) get `IfNotPresent`: there is no registry to pull
 * the local image from. Returns how many were changed.
 */
export function keepLoadedImages(docs: readonly Manifest[], loaded: readonly string[]): number {
  let changed = 0;
  for (const container of docs.flatMap(podSpecs).flatMap(containersOf)) {
    const image = String(container.image);
    if (!loaded.includes(image) || !pullsAlways(image, container.imagePullPolicy)) continue;
    container.imagePullPolicy = 'IfNotPresent';
    changed += 1;
  }
  return changed;
}

/**
 * Rewrites `image:` of every container and init container. A key matches an image exactly or by
 * name without tag or digest. Returns the keys that matched no container.
 */
export function overrideImages(docs: readonly Manifest[], images: Readonly<Record<string, string>>): string[] {
  const used = new Set<string>();
  for (const container of docs.flatMap(podSpecs).flatMap(containersOf)) {
    if (typeof container.image !== 'string') continue;
    const image = container.image;
    const key = image in images ? image : imageName(image);
    const replacement = images[key];
    if (replacement === undefined) continue;
    container.image = replacement;
    used.add(key);
  }
  return Object.keys(images).filter((key) => !used.has(key));
}

/** An image reference without its tag and digest (`registry:5000/app:1.0@sha256:…` → `registry:5000/app`). */
export function imageName(ref: string): string {
  const withoutDigest = ref.split('@')[0] ?? ref;
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** Whether the kubelet pulls on every start: policy Always, or the default for a `latest` or missing tag. */
function pullsAlways(image: string, policy: unknown): boolean {
  if (policy !== undefined) return policy === 'Always';
  if (image.includes('@')) return false;
  const name = imageName(image);
  return name === image || image.slice(name.length + 1) === 'latest';
}

function kindOf(doc: Manifest): string {
  return typeof doc.kind === 'string' ? doc.kind : '';
}

function metadataOf(doc: Manifest): Manifest {
  if (!isRecord(doc.metadata)) doc.metadata = {};
  return doc.metadata as Manifest;
}
