// A local Exaflow worker killed: what the controller shows while it is gone and after it is back. The
// controller learns the worker landscape by refreshing it every WORKER_LANDSCAPE_AGGREGATOR_UPDATE_INTERVAL
// seconds; with Exaflow's default (30 s) it notices a dead worker well within NOTICE_BUDGET_S. A longer
// interval is reported with the failure: experiments keep being sent to the dead worker until then.
import type { V1Deployment } from '@kubernetes/client-node';
import { requestOptions, type Kube } from '../k8s/client.ts';
import type { MipDriver } from '../drivers/mip.ts';
import type { Condition } from '../wait.ts';

/** The controller's landscape refresh interval when its Deployment does not set one (Exaflow's default). */
export const DEFAULT_LANDSCAPE_INTERVAL_S = 30;

/** How long the controller may keep listing a killed worker's datasets: the default interval, twice, and a margin for DNS and endpoints. */
export const NOTICE_BUDGET_S = 90;

/** The controller's landscape refresh interval, from its Deployment's environment. */
export async function landscapeInterval(kube: Pick<Kube, 'apps'>, namespace: string, selector: string, signal: AbortSignal): Promise<{ seconds: number; source: string }> {
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
  return { seconds: DEFAULT_LANDSCAPE_INTERVAL_S, source: `Exaflow's default (${DEFAULT_LANDSCAPE_INTERVAL_S} s; the controller does not set it)` };
}

/** The controller lists (`present`) or no longer lists (`!present`) any of `datasets` of a data model. */
export function datasetsListed(driver: MipDriver, model: string, datasets: readonly string[], present: boolean): Condition<string[]> {
  return {
    what: `the controller to ${present ? 'list' : 'stop listing'} ${datasets.join(', ')} of ${model}`,
    check: async (signal) => {
      const listed = Object.keys((await driver.datasetLocations(signal))[model] ?? {});
      const shown = datasets.filter((d) => listed.includes(d));
      const ok = present ? shown.length === datasets.length : shown.length === 0;
      return { ok, observed: shown.length === 0 ? 'none listed' : `listed: ${shown.join(', ')}`, value: shown };
    },
  };
}
