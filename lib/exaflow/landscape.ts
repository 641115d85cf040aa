// How often Exaflow's controller refreshes its worker landscape (WORKER_LANDSCAPE_AGGREGATOR_UPDATE_INTERVAL):
// the bound on how soon it lists a new worker's datasets or drops a dead worker's.
import type { V1Deployment } from '@kubernetes/client-node';
import { requestOptions, type Kube } from '../k8s/client.ts';

/** The controller's landscape refresh interval when its Deployment does not set one (Exaflow's default). */
export const DEFAULT_LANDSCAPE_INTERVAL_S = 30;

/** The controller's landscape refresh interval, from its Deployment's environment. */
export async function landscapeInterval(
  kube: Pick<Kube, 'apps'>,
  namespace: string,
  selector: string,
  signal: AbortSignal,
): Promise<{ seconds: number; source: string }> {
  const list = await kube.apps.listNamespacedDeployment({ namespace, labelSelector: selector }, requestOptions(signal));
  return intervalOf(list.items[0]);
}

/** The interval a controller Deployment sets, or Exaflow's default. */
export function intervalOf(deployment: V1Deployment | undefined): { seconds: number; source: string } {
  const containers = deployment?.spec?.template.spec?.containers ?? [];
  const value = containers.flatMap((c) => c.env ?? []).find((e) => e.name === 'WORKER_LANDSCAPE_AGGREGATOR_UPDATE_INTERVAL')?.value;
  const seconds = Number(value);
  if (value !== undefined && seconds > 0) {
    return { seconds, source: `WORKER_LANDSCAPE_AGGREGATOR_UPDATE_INTERVAL=${value} on ${String(deployment?.metadata?.name)}` };
  }
  return {
    seconds: DEFAULT_LANDSCAPE_INTERVAL_S,
    source: `Exaflow's default (${DEFAULT_LANDSCAPE_INTERVAL_S} s; the controller does not set it)`,
  };
}
