// The bodies of the recovery suite's checks, so the spec stays a list of titles: the settings, a scenario's
// trials, the short-toleration comparison, the API precision and the cluster's health afterwards.
import { expect } from 'chai';
import { nodesReady, stackWorkloads, workloadsReady, type Harness } from '../../lib/suite.ts';
import { waitFor } from '../../lib/wait.ts';
import { API_TOLERANCE_MS, describeComparison, violations, type ApiComparison } from './api-precision.ts';
import { nodeFaultsOf, restoreNode } from '../../lib/recovery/node-fault.ts';
import type { ServiceProbe } from '../../lib/recovery/probe.ts';
import type { Scenario } from '../../lib/recovery/scenarios.ts';
import { describeSettings, readSettings, shortestToleration, type RecoverySettings } from '../../lib/recovery/settings.ts';
import { tolerationPatch } from '../../lib/recovery/tolerations.ts';
import { runTrial, type TrialResult } from './trial.ts';
import { scenarioFailure, settingsExplanation } from './verdict.ts';

/** Reads and records the settings that drive recovery. */
export async function settingsCheck(h: Harness): Promise<RecoverySettings> {
  const version = await h.cluster.serverVersion();
  const settings = await h.step("kube-controller-manager's flags and the stack pods' tolerations are read", () =>
    readSettings(h.kube, h.stack.spec.namespace, version, h.signal),
  );
  for (const line of describeSettings(settings)) h.note(line);
  h.metric('node-monitor-grace-period', settings.graceS * 1000, 'ms');
  const toleration = shortestToleration(settings.pods);
  if (toleration !== undefined) h.metric('shortest not-ready/unreachable tolerationSeconds', toleration * 1000, 'ms');
  h.saveArtifact('recovery-settings.json', settings, 'recovery settings');
  expect(settings.pods.length, `stack pods in namespace ${h.stack.spec.namespace}`).to.be.greaterThan(0);
  return settings;
}

/** Every node Ready and every workload of the stack Ready, within the ready budget. */
export async function clusterHealthy(h: Harness, signal: AbortSignal = h.signal): Promise<void> {
  const nodes = await h.cluster.listNodes();
  const waits = { within: h.config.timeouts.ready, signal, interval: 1000, listener: h.waits };
  await waitFor(nodesReady(h.kube, nodes.length), waits);
  const workloads = await stackWorkloads(h.kube, h.stack.spec.namespace, signal);
  await waitFor(workloadsReady(h.kube, workloads), waits);
}

/** Runs the configured number of trials of `scenario`, then fails naming each trial over the SLO and why. */
export async function scenarioCheck(
  h: Harness,
  run: { probe: ServiceProbe; scenario: Scenario; settings: RecoverySettings; results: TrialResult[] },
): Promise<void> {
  const { probe, scenario, settings, results } = run;
  const mine: TrialResult[] = [];
  for (let trial = 1; trial <= h.config.trials; trial += 1) {
    const result = await runTrial(h, probe, { scenario, trial, settings });
    mine.push(result);
    results.push(result);
    h.metric(`${scenario.name} #${trial}: fault → recovered`, result.totalMs, 'ms', result.precisionMs);
    h.metric(`${scenario.name} #${trial}: fault call (${scenario.fault}) took`, result.fault.callMs, 'ms');
    h.saveArtifact(`${scenario.name}-trial-${trial}.json`, result, `${scenario.name} trial ${trial}`);
    if (scenario.fault === 'stop') {
      await h.step(`node ${result.target} is started again and Ready`, () =>
        restoreNode(nodeFaultsOf(h.cluster), h.kube, result.target, { signal: h.signal, listener: h.waits }),
      );
    }
    await h.step('every node and every stack workload is Ready before the next trial', () => clusterHealthy(h));
  }
  const tolerationS = scenario.tolerationSeconds ?? shortestToleration(settings.pods);
  const failure = scenarioFailure(scenario, mine, {
    sloMs: h.config.sloMs,
    explanation: settingsExplanation(scenario, settings.graceS, tolerationS, h.config.sloMs),
  });
  if (failure) expect.fail(failure);
}

/** The comparison: the stack's Deployments get short tolerations for the trials of `scenario`, restored afterwards. */
export async function shortTolerationCheck(h: Harness, probe: ServiceProbe, scenario: Scenario, results: TrialResult[]): Promise<void> {
  const seconds = scenario.tolerationSeconds ?? 30;
  const namespace = h.stack.spec.namespace;
  const patch = await h.step("the stack's Deployments and their tolerations are read", () => tolerationPatch(h.kube, namespace, h.signal));
  h.teardown.defer("the Deployments' own tolerations are restored", async (signal) => {
    await patch.restore(signal);
    await clusterHealthy(h, signal);
  });
  await h.step(`${patch.names.join(', ')} get not-ready/unreachable tolerationSeconds ${seconds} and roll out`, async () => {
    await patch.apply(seconds, h.signal);
    await clusterHealthy(h);
  });
  const version = await h.cluster.serverVersion();
  const settings = await readSettings(h.kube, namespace, version, h.signal);
  h.saveArtifact(`${scenario.name}-settings.json`, settings, `settings with tolerationSeconds ${seconds}`);
  try {
    await scenarioCheck(h, { probe, scenario, settings, results });
  } finally {
    await h.step("the Deployments' own tolerations are restored and rolled out", async () => {
      await patch.restore(h.signal);
      await clusterHealthy(h);
    });
  }
}

/** Every NotReady/Ready observation within API_TOLERANCE_MS of the API's second; fails naming each one outside. */
export function apiPrecisionCheck(h: Harness, results: readonly TrialResult[]): void {
  const comparisons: ApiComparison[] = results.flatMap((r) => r.comparisons.map((c) => ({ ...c, phase: `${c.phase} #${r.trial}` })));
  for (const c of comparisons) {
    h.metric(`${c.phase}: observed − API second`, c.offsetMs, 'ms', 1000);
    h.note(describeComparison(c));
  }
  for (const note of results.flatMap((r) => r.notCompared.map((n) => `${r.scenario} #${r.trial} ${n}`))) h.note(`not compared: ${note}`);
  h.saveArtifact('api-comparisons.json', comparisons, "observations against the API's timestamps");
  if (results.length === 0) h.skip('no trial ran, so there is nothing to compare');
  expect(comparisons.length, 'NotReady/Ready observations with an API timestamp').to.be.greaterThan(0);
  const off = violations(comparisons);
  if (off.length > 0) {
    expect.fail(
      `${off.length}/${comparisons.length} observations are more than ${API_TOLERANCE_MS} ms outside the API's second [t, t+1s) (API times are whole seconds): ${off.map(describeComparison).join('; ')}`,
    );
  }
}
