// The mip deployer: the Exaflow chart and the MIP web chart installed with real Helm into the run's
// namespace. Before installing it renders both with the values it will use and reads what they ask of
// the cluster — node labels, a schedulable master, Secrets no chart creates, the CSV host path of the
// local workers, the ingress route, images to load — provides it on a cluster the run created, refuses
// (changing nothing) where it may not, and places each worker node's share of the data.
import type { Cluster, OpOptions } from '../../cluster/types.ts';
import { ConfigError } from '../../errors.ts';
import type { Kube } from '../../k8s/client.ts';
import { ensureNamespace } from '../../k8s/objects.ts';
import { readDataDir } from '../../exaflow/data.ts';
import type { DataPlacement } from '../../exaflow/placement.ts';
import { readClusterFacts, readServedRoutes } from '../cluster-facts.ts';
import { createStackHandle } from '../handle.ts';
import { imagesOf, type Manifest } from '../manifest-fields.ts';
import { reachRoute, stackRoutes, type ServedRoutes } from '../routes.ts';
import type { ClusterFacts } from '../cluster-fit.ts';
import type { DeployerContext, Stack, StackDeployer, StackSpec } from '../types.ts';
import { uninstallRelease } from '../helm.ts';
import { helmOf, installChart, loadChart, renderChart, scratchDir, type ChartTarget, type HelmFn, type LoadedChart } from './charts.ts';
import { harnessValues, placeOnNodes, type ValuesContext } from './cluster-needs.ts';
import { applyFit, checkFit, planData, withLabels } from './fit.ts';
import { missingSecrets } from './layout.ts';
import { createSecrets } from './secrets.ts';
import { freshHostVolumes, hostVolumes } from './volumes.ts';
import { authenticationSlip, switchOffAuthentication } from './quirks.ts';
import type { Values } from './values.ts';
import { builtEngineImages, checkNodePorts, engineNotes } from './engine-fit.ts';
import { renderedNamespaces } from './layout.ts';

/** The mip deployer. */
export function createMipDeployer(ctx: DeployerContext): StackDeployer {
  const helm = helmOf(ctx.tools);
  return {
    kind: 'mip',
    validate: async (spec, options) => {
      // The user's data is read before any tool runs, so a mistake in it is not hidden behind a missing helm.
      if (spec.data) await readDataDir(spec.data);
      const scratch = await scratchDir();
      try {
        const charts = await loadCharts(spec, scratch.dir);
        for (const chart of charts)
          await renderChart(helm, chart, await chart.files({}), { namespace: spec.namespace, signal: options.signal });
        await builtEngineImages(charts, ctx.tools, options.signal);
      } finally {
        await scratch.remove();
      }
    },
    deploy: async (spec, cluster, options) => {
      const scratch = await scratchDir();
      try {
        return await install(ctx, helm, { spec, cluster, options, scratch: scratch.dir });
      } finally {
        await scratch.remove();
      }
    },
  };
}

interface InstallInput {
  readonly spec: StackSpec;
  readonly cluster: Cluster;
  readonly options: OpOptions;
  readonly scratch: string;
}

/** What the install steps share. */
interface Install extends ChartTarget {
  readonly kube: Kube;
  readonly note: (line: string) => void;
  readonly options: OpOptions;
}

type Rendered = { chart: LoadedChart; files: string[]; docs: Manifest[]; values: Values };

async function install(ctx: DeployerContext, helm: HelmFn, { spec, cluster, options, scratch }: InstallInput): Promise<Stack> {
  const kube = await ctx.connect(cluster.kubeconfigPath, cluster.context);
  const run: Install = { helm, spec, cluster, kube, options, note: options.note ?? options.progress ?? (() => undefined) };
  const charts = await loadCharts(spec, scratch);
  for (const line of charts.flatMap((c) => c.compatNotes)) run.note(line);
  // Everything that can refuse the stack is decided before the cluster is changed in any way.
  const { rendered, docs, known, served } = await renderForCluster(ctx, run, charts);
  const plan = checkFit(run, docs, known);
  const facts = withLabels(known, plan);
  const placement = await planData(run, docs, facts);
  const host = chooseHost(run, rendered.find((r) => r.chart.source.role === 'web')?.docs ?? [], served);
  await applyFit(run, docs, plan);
  if (cluster.disposable) for (const line of await freshHostVolumes(kube, cluster, hostVolumes(docs, facts.nodes), options)) run.note(line);
  await prepareCluster(run, docs, placement);
  for (const { chart, files } of rendered) await installChart(run, chart, files, options);
  await mendQuirks(run, rendered);
  const uninstall = async ({ signal }: OpOptions): Promise<void> => {
    for (const { chart } of [...rendered].reverse())
      await uninstallRelease(helm, { release: chart.source.release, namespace: spec.namespace, cluster }, signal);
  };
  const handle = {
    ...createStackHandle({ spec, cluster, tools: ctx.tools, connect: ctx.connect, uninstall, ...(host ? { host } : {}) }),
    namespaces: renderedNamespaces(docs, spec.namespace),
  };
  return placement ? { ...handle, data: placement } : handle;
}

/** The charts rendered with the harness's values for this cluster (images built from the Exaflow chart's checkout among them), and their node ports checked. */
async function renderForCluster(
  ctx: DeployerContext,
  run: Install,
  charts: readonly LoadedChart[],
): Promise<{ rendered: Rendered[]; docs: Manifest[]; known: ClusterFacts; served: ServedRoutes }> {
  const { kube, spec, options } = run;
  const engine = await builtEngineImages(charts, ctx.tools, options.signal);
  const served = await readServedRoutes(kube, options.signal);
  const known = await readClusterFacts(kube, options.signal);
  const rendered = await renderAll(run, charts, {
    facts: known,
    served,
    namespace: spec.namespace,
    ...(engine ? { engineImages: engine.values } : {}),
  });
  const docs = rendered.flatMap((r) => r.docs);
  await checkNodePorts(kube, docs, spec.namespace, options.signal);
  const engineDocs = rendered.find((r) => r.chart.source.role === 'exaflow')?.docs ?? [];
  for (const line of engineNotes({
    chart: charts.find((c) => c.source.role === 'exaflow'),
    engineDocs,
    docs,
    release: spec.namespace,
    engine,
  }))
    run.note(line);
  return { rendered, docs, known, served };
}

async function renderAll(run: Install, charts: readonly LoadedChart[], context: ValuesContext): Promise<Rendered[]> {
  const rendered: Rendered[] = [];
  for (const chart of charts) {
    const harness = harnessValues(chart.source.role, chart.user, context);
    const files = await chart.files(harness);
    const docs = await renderChart(run.helm, chart, files, { namespace: run.spec.namespace, signal: run.options.signal });
    rendered.push({ chart, files, docs, values: chart.effective(harness) });
  }
  return rendered;
}

/** The real web chart's authentication slip: mended on a cluster the run created, told on any other. */
async function mendQuirks(run: Install, rendered: readonly Rendered[]): Promise<void> {
  const web = rendered.find((r) => r.chart.source.role === 'web');
  if (!web || !authenticationSlip(web.docs, web.values)) return;
  if (!run.cluster.disposable) {
    run.note(
      'the web chart renders keycloak.AUTHENTICATION "1" although keycloak.enabled is false: the backend will ask for a Keycloak server',
    );
    return;
  }
  run.note(await switchOffAuthentication(run.kube, run.spec.namespace, run.options.signal));
}

/** Images into the nodes, the namespace, the Secrets no chart creates, and the data on the worker nodes. */
async function prepareCluster(run: Install, docs: readonly Manifest[], placement: DataPlacement | undefined): Promise<void> {
  const { cluster, kube, spec, options } = run;
  const loaded = (await cluster.images?.loadLocal(imagesOf(docs), options)) ?? [];
  if (loaded.length > 0) options.progress?.(`loaded ${loaded.length} local image(s) into the nodes`);
  for (const namespace of renderedNamespaces(docs, spec.namespace)) {
    await ensureNamespace(kube, namespace, { signal: options.signal, labels: { 'app.kubernetes.io/managed-by': 'mip-verify' } });
  }
  for (const line of await createSecrets(kube, spec.namespace, missingSecrets(docs), options.signal)) run.note(line);
  if (placement) await placeOnNodes(cluster, placement, options);
}

async function loadCharts(spec: StackSpec, scratch: string): Promise<LoadedChart[]> {
  if (!spec.charts || spec.charts.length === 0) throw new ConfigError(`the ${spec.name} stack names no charts`);
  const charts: LoadedChart[] = [];
  for (const source of spec.charts) charts.push(await loadChart(source, scratch));
  return charts;
}

/** The host name requests must carry, from the web chart's route the cluster serves. */
function chooseHost({ cluster, note, options }: Install, docs: readonly Manifest[], served: ServedRoutes): string | undefined {
  const routes = stackRoutes(docs);
  if (routes.length === 0) {
    note('the MIP web chart renders no Ingress: checks through the ingress cannot reach it');
    return undefined;
  }
  return reachRoute(routes, served, cluster, { note, progress: options.progress ?? note }).host;
}
