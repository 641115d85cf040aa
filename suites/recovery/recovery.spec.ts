// recovery: node and control-plane faults, timed over repeated trials against the SLO, with the settings
// that explain the times and the same worker-down fault with short tolerations side by side. Config
// validation refuses it on a cluster the run may not disrupt.
import { harness } from '../../lib/suite.ts';
import { apiPrecisionCheck, clusterHealthy, scenarioCheck, settingsCheck, shortTolerationCheck } from '../../lib/recovery/checks.ts';
import { SCENARIOS, shortTolerationScenario, type Scenario } from '../../lib/recovery/scenarios.ts';
import type { RecoverySettings } from '../../lib/recovery/settings.ts';
import type { TrialResult } from '../../lib/recovery/trial.ts';
import { readinessChecks } from '../readiness.ts';
import { openmsOnly } from '../openms.ts';

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
    openmsOnly(h, 'recovery');
    settings = await settingsCheck(h);
  });

  it(`${workerDown.name}: ${workerDown.summary}; every trial recovers within the SLO`, async () => {
    const driver = openmsOnly(h, 'recovery');
    await scenarioCheck(h, { driver, scenario: workerDown, settings: settings ?? (await settingsCheck(h)), results });
  });

  it(`${shortened.name}: the same fault with tolerationSeconds ${SHORT_TOLERATION_S}; every trial recovers within the SLO`, async () => {
    await shortTolerationCheck(h, openmsOnly(h, 'recovery'), shortened, results);
  });

  for (const scenario of others) {
    it(`${scenario.name}: ${scenario.summary}; every trial recovers within the SLO`, async () => {
      const driver = openmsOnly(h, 'recovery');
      await scenarioCheck(h, { driver, scenario, settings: settings ?? (await settingsCheck(h)), results });
    });
  }

  it('node NotReady and Ready were observed within 1 s of the API\'s own (whole-second) timestamps', async () => {
    await apiPrecisionCheck(h, results);
  });

  it('after the faults: every node is Ready and every workload of the stack is Ready', async () => {
    await h.step('every node and every stack workload is Ready', () => clusterHealthy(h));
  });
});
