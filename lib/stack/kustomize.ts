// The kustomize deployer: renders a kustomize directory with `kubectl kustomize`, applies image
// overrides and the namespace to the rendered objects, and applies them server-side.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { ConfigError } from '../errors.ts';
import type { ToolResult } from '../exec.ts';
import type { Cluster, OpOptions } from '../cluster/types.ts';
import type { DeployerContext } from './index.ts';
import { createStackHandle, failureTail, kubectlTarget } from './handle.ts';
import type { StackDeployer, StackSpec } from './types.ts';

type Manifest = Record<string, unknown>;

const kustomizationNames = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

// Kinds without a namespace; everything else gets the stack's namespace when it names none.
const clusterScoped = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'IngressClass', 'PriorityClass', 'RuntimeClass', 'CSIDriver',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'VolumeSnapshotClass',
]);

/** The kustomize deployer. */
export function createKustomizeDeployer(ctx: DeployerContext): StackDeployer {
  const { tools } = ctx;
  const kubectl = (args: string[], signal: AbortSignal, input?: string): Promise<ToolResult> =>
    tools.runTool('kubectl', args, { signal, env: tools.env, input });

  const render = async (spec: StackSpec, options: OpOptions): Promise<{ manifest: string; images: string[] }> => {
    const dir = await kustomizationDir(spec.source);
    let text: string;
    try {
      text = (await kubectl(['kustomize', dir], options.signal)).stdout;
    } catch (error) {
      throw new ConfigError(`kustomize could not render '${dir}': ${failureTail(error)}`, 'fix the kustomization, or check it with `kubectl kustomize`');
    }
    const prepared = prepareManifests(text, spec);
    for (const key of prepared.unmatched) options.progress?.(`image override '${key}' matches no container of ${spec.name}`);
    return prepared;
  };

  return {
    kind: 'kustomize',
    validate: async (spec, options) => {
      await render(spec, options);
    },
    deploy: async (spec: StackSpec, cluster: Cluster, options: OpOptions) => {
      const { manifest, images } = await render(spec, options);
      // Locally built images (no registry) must be on the nodes before the pods start.
      const loaded = (await cluster.images?.loadLocal(images, options)) ?? [];
      if (loaded.length > 0) options.progress?.(`loaded ${loaded.length} local image(s) into the nodes`);
      options.progress?.(`applying ${spec.name} to namespace ${spec.namespace}`);
      const apply = ['apply', '--server-side', '--field-manager=mip-verify', '--force-conflicts', '-f', '-'];
      await kubectl([...kubectlTarget(cluster), ...apply], options.signal, manifest);
      const uninstall = async ({ signal }: OpOptions): Promise<void> => {
        await kubectl([...kubectlTarget(cluster), 'delete', '--ignore-not-found', '-f', '-'], signal, manifest);
      };
      return createStackHandle({ spec, cluster, tools, connect: ctx.connect, uninstall });
    },
  };
}

/** The directory, when it holds a kustomization; ConfigError naming the path otherwise. */
export async function kustomizationDir(source: string): Promise<string> {
  const dir = resolve(source);
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new ConfigError(`stack source '${dir}' is not a directory`, 'pass --stack-source with a kustomize directory');
  for (const name of kustomizationNames) {
    if (await stat(join(dir, name)).then((s) => s.isFile(), () => false)) return dir;
  }
  throw new ConfigError(`stack source '${dir}' has no kustomization.yaml`, 'pass --stack-source with a kustomize directory');
}

/**
 * The rendered objects with image overrides applied, the namespace set where missing, and the
 * Namespace itself first, as one YAML stream; plus the override keys that matched nothing.
 */
export function prepareManifests(text: string, spec: StackSpec): { manifest: string; unmatched: string[]; images: string[] } {
  const docs = parseAllDocuments(text)
    .map((doc) => doc.toJS() as unknown)
    .filter(isRecord);
  const unmatched = overrideImages(docs, spec.images);
  for (const doc of docs) {
    const kind = typeof doc.kind === 'string' ? doc.kind : '';
    const metadata = isRecord(doc.metadata) ? doc.metadata : (doc.metadata = {});
    if (!clusterScoped.has(kind) && !metadata.namespace) metadata.namespace = spec.namespace;
  }
  const hasNamespace = docs.some((d) => d.kind === 'Namespace' && isRecord(d.metadata) && d.metadata.name === spec.namespace);
  if (!hasNamespace) docs.unshift({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: spec.namespace } });
  const images = [...new Set(docs.flatMap(podSpecs).flatMap(containersOf).map((c) => c.image).filter((i) => typeof i === 'string'))];
  // kubectl reads YAML 1.1, where an unquoted `off` or `yes` is a boolean: quote such strings.
  return { manifest: docs.map((doc) => stringify(doc, { version: '1.1' })).join('---\n'), unmatched, images };
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

function podSpecs(doc: Manifest): Manifest[] {
  if (doc.kind === 'Pod') return pick(doc, ['spec']);
  if (doc.kind === 'CronJob') return pick(doc, ['spec', 'jobTemplate', 'spec', 'template', 'spec']);
  return pick(doc, ['spec', 'template', 'spec']);
}

function containersOf(podSpec: Manifest): Manifest[] {
  const lists = [podSpec.containers, podSpec.initContainers];
  return lists.flatMap((list) => (Array.isArray(list) ? (list as unknown[]).filter(isRecord) : []));
}

function pick(doc: Manifest, path: readonly string[]): Manifest[] {
  let node: unknown = doc;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return isRecord(node) ? [node] : [];
}

function isRecord(value: unknown): value is Manifest {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
