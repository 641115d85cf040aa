// recovery: node and control-plane faults, timed over repeated trials against the SLO, with the settings
// that explain the times and the same worker-down fault with short tolerations side by side. Config
// validation refuses it on a cluster the run may not disrupt.
import { harness, type Harness } from '../../lib/suite.ts';
import { openmsDriver } from '../../lib/drivers/openms.ts';
import { mipDriver } from '../../lib/drivers/mip.ts';
import type { ServiceProbe } from '../../lib/recovery/probe.ts';
import { mipProbe } from '../../lib/recovery/probe-mip.ts';
import { openmsProbe } from '../../lib/recovery/probe-openms.ts';
import { apiPrecisionCheck, clusterHealthy, scenarioCheck, settingsCheck, shortTolerationCheck } from './checks.ts';
import { SCENARIOS, shortTolerationScenario, type Scenario } from '../../lib/recovery/scenarios.ts';
import type { RecoverySettings } from '../../lib/recovery/settings.ts';
import type { TrialResult } from './trial.ts';
import { readinessChecks } from '../shared/readiness.ts';
import { placedData } from '../shared/mip-stack.ts';

/** tolerationSeconds of the comparison: short enough that eviction, rescheduling and a workflow fit in the SLO. */
const SHORT_TOLERATION_S = 30;

describe('recovery', function () {
  const h = harness(this);
  const results: TrialResult[] = [];
  let settings: RecoverySettings | undefined;
  const [workerDown, ...others] = SCENARIOS as [Scenario, ...Scenario[]];
  const shortened = shortTolerationScenario(SHORT_TOLERATION_S);

  readinessChecks(h);

  it('the settings that drive recovery are recorded: node-monitor-grace-period, tolerations, restart policy', async () => {
    settings = await settingsCheck(h);
  });

  it(`${workerDown.name}: ${workerDown.summary}; every trial recovers within the SLO`, async () => {
    await scenarioCheck(h, { probe: serviceProbe(h), scenario: workerDown, settings: settings ?? (await settingsCheck(h)), results });
  });

  it(`${shortened.name}: the same fault with tolerationSeconds ${SHORT_TOLERATION_S}; every trial recovers within the SLO`, async () => {
    await shortTolerationCheck(h, serviceProbe(h), shortened, results);
  });

  for (const scenario of others) {
    it(`${scenario.name}: ${scenario.summary}; every trial recovers within the SLO`, async () => {
      await scenarioCheck(h, { probe: serviceProbe(h), scenario, settings: settings ?? (await settingsCheck(h)), results });
    });
  }

  it("node NotReady and Ready were observed within 1 s of the API's own (whole-second) timestamps", () => {
    apiPrecisionCheck(h, results);
  });

  it('after the faults: every node is Ready and every workload of the stack is Ready', async () => {
    await h.step('every node and every stack workload is Ready', () => clusterHealthy(h));
  });
});

/** How this stack shows it answers again: an OpenMS workflow, or a MIP federated experiment on the placed data. */
function serviceProbe(h: Harness): ServiceProbe {
  if (h.stack.spec.name === 'mip') return mipProbe(mipDriver(h.stack, h.kube), placedData(h));
  if (h.stack.spec.name === 'openms') return openmsProbe(openmsDriver(h.stack, h.kube));
  return h.skip(`the recovery suite has no service probe for the ${h.stack.spec.name} stack`);
}
