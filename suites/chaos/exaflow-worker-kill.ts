// A local Exaflow worker killed: what the controller shows while it is gone and after it is back. The
// controller learns the worker landscape by refreshing it every WORKER_LANDSCAPE_AGGREGATOR_UPDATE_INTERVAL
// seconds; with Exaflow's default (30 s) it notices a dead worker well within NOTICE_BUDGET_S. A longer
// interval is reported with the failure: experiments keep being sent to the dead worker until then.
import type { MipDriver } from '../../lib/drivers/mip.ts';
import type { Condition } from '../../lib/wait.ts';

/** How long the controller may keep listing a killed worker's datasets: the default interval, twice, and a margin for DNS and endpoints. */
export const NOTICE_BUDGET_S = 90;

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
