// The MIP stack's service probe: a federated descriptive-statistics experiment, submitted through the
// backend after the fault, returns the statistics the CSV files give. While a worker node stays down its
// datasets cannot be reached, so for that fault the experiment covers the datasets the controller lists
// (the federation answering without that hospital); after a reboot or a control-plane restart it must
// cover every placed dataset again.
import { MIP_LAYOUT, type MipDriver } from '../drivers/mip.ts';
import { experimentProblems, placedDatasets, statisticsExperiment } from '../mip/experiment.ts';
import type { DataPlacement } from '../mip/placement.ts';
import { delay } from '../wait.ts';
import type { ProbeRun, ServiceProbe } from './probe.ts';
import type { Scenario } from './scenarios.ts';
import { call } from './service.ts';

/** The probe of a MIP stack whose data the run placed. */
export function mipProbe(driver: MipDriver, placement: DataPlacement): ServiceProbe {
  const placed = placedDatasets(placement);
  return {
    what: 'a federated descriptive-statistics experiment returns what the CSV files give',
    healthPath: MIP_LAYOUT.health,
    workerNodes: async (signal) => (await driver.localWorkers(signal)).map((p) => p.spec?.nodeName ?? ''),
    once: async (scenario: Scenario, { signal, intervalMs }): Promise<ProbeRun> => {
      const locations = await call((s) => driver.datasetLocations(s), signal, 'the controller\'s dataset locations');
      const listed = placed.datasets.filter((d) => locations[placed.model]?.[d] !== undefined);
      const needsAll = scenario.fault !== 'stop';
      if (listed.length === 0 || (needsAll && listed.length < placed.datasets.length)) {
        return { id: '-', precisionMs: intervalMs, problems: [`the controller lists ${listed.length} of the ${placed.datasets.length} datasets of ${placed.model}`] };
      }
      const planned = statisticsExperiment(placement, `mip-verify recovery, ${scenario.name}`, listed);
      const submitted = await call((s) => driver.submit(planned.body, s), signal, 'the experiment submission');
      let previous = performance.now();
      for (;;) {
        await delay(intervalMs, signal);
        const experiment = await call((s) => driver.experiment(submitted.uuid, s), signal, 'the experiment').catch(() => undefined);
        const now = performance.now();
        if (experiment && experiment.status !== 'pending') {
          const coverage = `${listed.length}/${placed.datasets.length} datasets`;
          return { id: `${submitted.uuid} (${coverage})`, precisionMs: Math.max(1, Math.round(now - previous)), problems: experimentProblems(experiment, planned.expected) };
        }
        previous = now;
      }
    },
  };
}
