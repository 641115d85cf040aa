// The kustomize deployer: renders a kustomize directory with `kubectl kustomize`, prepares the objects
// (image overrides, the run's namespace), meets on a disposable cluster what the stack asks of it
// (StorageClasses it lacks, node labels), finds the route the checks go through, and applies server-side.
import { throwIfMissingTool } from '../exec.ts';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import type { ToolResult } from '../exec.ts';
import type { Kube } from '../k8s/client.ts';
import type { Tools } from '../cluster/command-runner.ts';
import type { Cluster, OpOptions } from '../cluster/types.ts';
import { sharedStorageClass } from '../cluster/offline/addons.ts';
import { applyNodeLabels, readClusterFacts, readServedRoutes } from './cluster-facts.ts';
import { fitRefusal, planFit, swapStorageClasses } from './cluster-fit.ts';
import { createStackHandle, failureTail, kubectlTarget } from './handle.ts';
import { keepLoadedImages, prepareStack, serialize, type Manifest, type PreparedStack } from './manifests.ts';
import { reachRoute, stackRoutes, type RouteChoice } from './routes.ts';
import { checkoutImages, TEMPLATE_IMAGE } from './openms-checkout.ts';
import type { DeployerContext, Stack, StackDeployer, StackSpec } from './types.ts';

const kustomizationNames = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

type Progress = (line: string) => void;

/** The kustomize deployer. */
export function createKustomizeDeployer(ctx: DeployerContext): StackDeployer {
  return {
    kind: 'kustomize',
    validate: async (spec, options) => {
      await render(ctx.tools, spec, options);
    },
    deploy: (spec, cluster, options) => deploy(ctx, spec, cluster, options),
  };
}

function kubectl(tools: Tools, args: string[], signal: AbortSignal, input?: string): Promise<ToolResult> {
  return tools.runTool('kubectl', args, { signal, env: tools.env, input });
}

/** The stack's objects, prepared for the run, and notes on the images built from a template checkout. */
async function render(tools: Tools, spec: StackSpec, options: OpOptions): Promise<PreparedStack & { notes: string[] }> {
  const imageExists = (ref: string): Promise<boolean> =>
    tools.runTool('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { env: tools.env }).then(
      () => true,
      () => false,
    );
  const dir = await kustomizationDir(spec.source);
  const checkout = await checkoutImages(dir, spec.images, imageExists);
  if (checkout.kind === 'missing') {
    throw new ConfigError(
      `stack source '${dir}' is part of the OpenMS template checkout ${checkout.checkout}, and no image was built from that checkout (${checkout.image}):`,
      `run \`npx mip-verify image build --openms-source ${checkout.checkout}\`, or name an image with --image ${TEMPLATE_IMAGE}=<ref>.`,
    );
  }
  const images = checkout.kind === 'built' ? { ...checkout.images, ...spec.images } : spec.images;
  let text: string;
  try {
    text = (await kubectl(tools, ['kustomize', dir], options.signal)).stdout;
  } catch (error) {
    throwIfMissingTool(error);
    throw new ConfigError(
      `kustomize could not render '${dir}': ${failureTail(error)}`,
      'fix the kustomization, or check it with `kubectl kustomize`',
    );
  }
  const prepared = prepareStack(text, { ...spec, images });
  for (const key of prepared.unmatched) options.progress?.(`image override '${key}' matches no container of ${spec.name}`);
  return { ...prepared, notes: checkout.kind === 'built' ? checkout.notes : [] };
}

/** Renders, fits the cluster, finds the route, loads local images, and applies server-side. */
async function deploy(ctx: DeployerContext, spec: StackSpec, cluster: Cluster, options: OpOptions): Promise<Stack> {
  const { tools } = ctx;
  const prepared = await render(tools, spec, options);
  const progress: Progress = options.progress ?? (() => undefined);
  // How the stack was changed or reached goes into the report, not only onto the terminal.
  const note: Progress = options.note ?? progress;
  for (const line of prepared.notes) note(line);
  if (prepared.relocatedFrom)
    note(`the stack's objects name namespace ${prepared.relocatedFrom}: installing them into ${spec.namespace}, which the run owns`);
  const fit: FitContext = {
    kube: await ctx.connect(cluster.kubeconfigPath, cluster.context),
    cluster,
    note,
    progress,
    signal: options.signal,
  };
  await fitCluster(fit, prepared.docs);
  const route = await findRoute(fit, prepared.docs);
  // Locally built images (no registry) must be on the nodes before the pods start.
  const loaded = (await cluster.images?.loadLocal(prepared.images, options)) ?? [];
  if (loaded.length > 0) progress(`loaded ${loaded.length} local image(s) into the nodes`);
  const relaxed = keepLoadedImages(prepared.docs, loaded);
  if (relaxed > 0)
    note(`imagePullPolicy Always → IfNotPresent on ${relaxed} container(s) of loaded images (no registry to pull them from)`);
  const manifest = serialize(prepared.docs);
  progress(`applying ${spec.name} to namespace ${spec.namespace}`);
  const apply = ['apply', '--server-side', '--field-manager=mip-verify', '--force-conflicts', '-f', '-'];
  await kubectl(tools, [...kubectlTarget(cluster), ...apply], options.signal, manifest);
  const uninstall = async ({ signal }: OpOptions): Promise<void> => {
    await kubectl(tools, [...kubectlTarget(cluster), 'delete', '--ignore-not-found', '-f', '-'], signal, manifest);
  };
  return createStackHandle({ spec, cluster, tools, connect: ctx.connect, uninstall, ...(route.host ? { host: route.host } : {}) });
}

/** What fitting a stack to a cluster works with. */
interface FitContext {
  readonly kube: Kube;
  readonly cluster: Cluster;
  /** Tells the report how the stack was fitted and reached. */
  readonly note: Progress;
  /** Tells the terminal only. */
  readonly progress: Progress;
  readonly signal: AbortSignal;
}

/** Meets what the stack asks of a disposable cluster; refuses, changing nothing, on any other cluster. */
async function fitCluster({ kube, cluster, note, signal }: FitContext, docs: Manifest[]): Promise<void> {
  const plan = planFit(docs, await readClusterFacts(kube, signal), sharedStorageClass);
  for (const line of plan.notes) note(line);
  const refusal = fitRefusal(plan, cluster.name);
  if (refusal === undefined) return;
  if (!cluster.disposable) {
    throw new ConfigError(refusal, 'create them on the cluster first, or run on a disposable kind cluster, where the run provides them');
  }
  swapStorageClasses(docs, plan.classSwaps);
  await applyNodeLabels(kube, plan, signal);
  for (const change of plan.changes) note(change);
}

/** The route the checks go through; ConfigError when the stack has routes and the cluster serves none. */
async function findRoute({ kube, cluster, note, progress, signal }: FitContext, docs: readonly Manifest[]): Promise<RouteChoice> {
  const routes = stackRoutes(docs);
  if (routes.length === 0) return { unserved: [] };
  return reachRoute(routes, await readServedRoutes(kube, signal), cluster, { note, progress });
}

/** The directory, when it holds a kustomization; ConfigError naming the path otherwise. */
export async function kustomizationDir(source: string): Promise<string> {
  const dir = resolve(source);
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new ConfigError(`stack source '${dir}' is not a directory`, 'pass --stack-source with a kustomize directory');
  for (const name of kustomizationNames) {
    if (
      await stat(join(dir, name)).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return dir;
  }
  throw new ConfigError(`stack source '${dir}' has no kustomization.yaml`, 'pass --stack-source with a kustomize directory');
}
