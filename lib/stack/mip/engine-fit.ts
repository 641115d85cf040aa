// What the real Exaflow chart needs beyond the reference one, decided before the cluster changes: the
// images built from its checkout (when the user names none), the namespaces its objects really go to
// (it writes `{{ .Values.namespace }}` into every object), and its fixed node port (the controller's
// LoadBalancer on 30000 in unmanaged mode), which must not be taken by another Service of the cluster.
import { cacheDir } from '../../paths.ts';
import { requestOptions, type Kube } from '../../k8s/client.ts';
import { ConfigError } from '../../errors.ts';
import type { Tools } from '../../cluster/command-runner.ts';
import type { Manifest } from '../manifest-fields.ts';
import { engineImagesFor, type EngineImages } from './engine-images.ts';
import type { LoadedChart } from './charts.ts';
import { fixedNodePorts, renderedNamespaces } from './layout.ts';
import { valueAt } from './values.ts';

/** The images built from the checkout of the run's Exaflow chart, if it has such and the user named none. */
export async function builtEngineImages(
  charts: readonly LoadedChart[],
  tools: Tools,
  signal: AbortSignal,
): Promise<EngineImages | undefined> {
  const chart = charts.find((c) => c.source.role === 'exaflow');
  if (!chart) return undefined;
  const present = (ref: string): Promise<boolean> =>
    tools.runTool('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { signal, env: tools.env }).then(
      () => true,
      () => false,
    );
  return engineImagesFor(chart, cacheDir(tools.env), present);
}

/** What the notes are drawn from. */
export interface EngineNoteInput {
  /** The Exaflow chart, if the stack has one. */
  readonly chart: LoadedChart | undefined;
  /** What the Exaflow chart renders. */
  readonly engineDocs: readonly Manifest[];
  /** What every chart renders. */
  readonly docs: readonly Manifest[];
  /** The run's namespace. */
  readonly release: string;
  /** The images built from the chart's checkout, when given. */
  readonly engine: EngineImages | undefined;
}

/** Report notes on what the run gave the real chart, where its objects go, and how its controller is reached. */
export function engineNotes({ chart, engineDocs, docs, release, engine }: EngineNoteInput): string[] {
  const notes: string[] = [];
  if (engine) {
    notes.push(engine.note);
    if (valueAt(chart?.user ?? {}, 'flower.enabled') === undefined) {
      notes.push(
        "flower.enabled set to false: upstream's worker Dockerfile installs no Flower packages, so its Flower algorithms could not run on these images",
      );
    }
  }
  const others = renderedNamespaces(docs, release).filter((n) => n !== release);
  if (chart && valueAt(chart.defaults, 'namespace') !== undefined && valueAt(chart.user, 'namespace') === undefined) {
    notes.push(
      `the Exaflow chart puts its objects in its own namespace value (default '${String(valueAt(chart.defaults, 'namespace'))}'), not Helm's: set to ${release}, the run's namespace`,
    );
  }
  if (others.length > 0)
    notes.push(`the charts put objects in namespace(s) ${others.join(', ')} besides ${release}: the checks look there too`);
  for (const port of fixedNodePorts(engineDocs, release)) {
    notes.push(
      `Service ${port.service} is a ${port.type} on node port ${port.nodePort} (the chart's unmanaged mode); the checks reach the controller through the API server's service proxy`,
    );
  }
  return notes;
}

/** ConfigError when a node port the charts fix is already used by another Service of the cluster. */
export async function checkNodePorts(
  kube: Pick<Kube, 'core'>,
  docs: readonly Manifest[],
  release: string,
  signal: AbortSignal,
): Promise<void> {
  const wanted = fixedNodePorts(docs, release);
  if (wanted.length === 0) return;
  const services = await kube.core.listServiceForAllNamespaces({}, requestOptions(signal));
  for (const port of wanted) {
    const holder = services.items.find(
      (s) =>
        `${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}` !== port.service &&
        (s.spec?.ports ?? []).some((p) => p.nodePort === port.nodePort),
    );
    if (holder) {
      throw new ConfigError(
        `the MIP charts' Service ${port.service} needs node port ${port.nodePort}, which Service ${holder.metadata?.namespace ?? ''}/${holder.metadata?.name ?? ''} already uses`,
        'uninstall the release holding it first, or run on a cluster of its own',
      );
    }
  }
}
