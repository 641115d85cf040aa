// The MIP stack's service probe: a federated descriptive-statistics request, asked of the Exaflow controller
// after the fault (it answers synchronously), returns the statistics the CSV files give. While a worker node stays down its
// datasets cannot be reached, so for that fault the experiment covers the datasets the controller lists
// (the federation answering without that hospital); after a reboot or a control-plane restart it must
// cover every placed dataset again.
import { MIP_LAYOUT, type MipDriver } from '../drivers/mip.ts';
import { answerProblems, controllerRequest, placedDatasets } from '../exaflow/experiment.ts';
import type { DataPlacement } from '../exaflow/placement.ts';
import type { ProbeRun, ServiceProbe } from './probe.ts';
import type { Scenario } from './scenarios.ts';
import { call } from './service.ts';

/** The probe of a MIP stack whose data the run placed. */
export function mipProbe(driver: MipDriver, placement: DataPlacement): ServiceProbe {
  const placed = placedDatasets(placement);
  return {
    what: 'a federated descriptive-statistics request to the controller returns what the CSV files give',
    healthPath: MIP_LAYOUT.health,
    workerNodes: async (signal) => (await driver.localWorkers(signal)).map((p) => p.spec?.nodeName ?? ''),
    once: async (scenario: Scenario, { signal }): Promise<ProbeRun> => {
      const locations = await call((s) => driver.datasetLocations(s), signal, "the controller's dataset locations");
      const listed = placed.datasets.filter((d) => locations[placed.model]?.[d] !== undefined);
      const needsAll = scenario.fault !== 'stop';
      if (listed.length === 0 || (needsAll && listed.length < placed.datasets.length)) {
        return {
          id: '-',
          precisionMs: 1,
          problems: [`the controller lists ${listed.length} of the ${placed.datasets.length} datasets of ${placed.model}`],
        };
      }
      const planned = controllerRequest(placement, listed);
      const asked = performance.now();
      const answer = await call((s) => driver.runAlgorithm('descriptive_stats', planned.body, s), signal, 'the descriptive_stats request');
      // The controller answers synchronously: the moment is known to within the request's own length.
      const precisionMs = Math.max(1, Math.round(performance.now() - asked));
      const id = `${String((planned.body as { request_id: string }).request_id)} (${listed.length}/${placed.datasets.length} datasets)`;
      return { id, precisionMs, problems: answerProblems(answer, planned.expected) };
    },
  };
}
