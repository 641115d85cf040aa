// One timed trial: choose the node, register its restore, start the watches, inject the fault, watch the phases
// until the scenario's end phases are seen (or the budget runs out), record the trial and bring the node back.
import type { Condition, Harness } from '../../lib/suite.ts';
import { TimeoutError, type WaitListener } from '../../lib/wait.ts';
import { compareWithApi, type ApiComparison } from './api-precision.ts';
import { injectFault, nodeFaultsOf, NODE_BACK_MS, restoreNode, type InjectedFault } from '../../lib/recovery/node-fault.ts';
import { TrialObserver } from '../../lib/recovery/observer.ts';
import { markOnce, trialEnded, trialOutcome, type Marks, type TrialFacts, type TrialOutcome } from '../../lib/recovery/phases.ts';
import { pickTarget, type Scenario } from '../../lib/recovery/scenarios.ts';
import type { ServiceProbe } from '../../lib/recovery/probe.ts';
import { serviceAnswers } from '../../lib/recovery/service.ts';
import { shortestToleration, type RecoverySettings } from '../../lib/recovery/settings.ts';

/** A recorded trial with what explains it. */
export interface TrialResult extends TrialOutcome {
  /** Scenario name. */
  scenario: string;
  /** Trial number. */
  trial: number;
  /** Node faulted. */
  target: string;
  /** The fault as injected. */
  fault: InjectedFault;
  /** Observations compared with the API's timestamps. */
  comparisons: ApiComparison[];
  /** Comparisons not made, with why. */
  notCompared: string[];
  /** What the service probe saw go wrong (failed submissions, failed workflows), most recent last. */
  serviceFailures: string[];
  /** What the last failed health probe saw. */
  lastHealthProblem?: string;
  /** Precision of the total (ms): the coarsest observation of its end phases (the fault is timed from its request). */
  precisionMs: number;
}

/** How long a trial may watch: NotReady, tolerations, rescheduling and one workflow (ms). */
export function trialBudgetMs(scenario: Scenario, settings: RecoverySettings): number {
  const toleration = scenario.tolerationSeconds ?? shortestToleration(settings.pods) ?? 300;
  return scenario.fault === 'stop' ? (settings.graceS + toleration + 240) * 1000 : (settings.graceS + 300) * 1000;
}

function ended(scenario: Scenario, marks: Marks): Condition<void> {
  return {
    what: `${scenario.ends.join(' and ')} after the fault (${scenario.name})`,
    check: () => Promise.resolve({ ok: trialEnded(scenario, marks), observed: Object.keys(marks).join(', ') || 'no phase yet' }),
  };
}

/** The node the scenario hits now. */
export async function chooseTarget(h: Harness, probe: ServiceProbe, scenario: Scenario): Promise<string> {
  const nodes = (await h.cluster.listNodes()).map((n) => ({ name: n.name, controlPlane: n.roles.includes('control-plane') }));
  const workers = await probe.workerNodes(h.signal);
  return pickTarget(scenario, nodes, workers, h.config.target);
}

/** Runs trial `trial` of `scenario` and records it with `h.trial`. */
export async function runTrial(
  h: Harness,
  probe: ServiceProbe,
  plan: { scenario: Scenario; trial: number; settings: RecoverySettings },
): Promise<TrialResult> {
  const { scenario, trial, settings } = plan;
  const faults = nodeFaultsOf(h.cluster);
  const target = await h.step(`${scenario.name} #${trial}: the target node is chosen`, () => chooseTarget(h, probe, scenario));
  h.teardown.defer(`node ${target} running and Ready`, (signal) => restoreNode(faults, h.kube, target, { signal }), {
    timeoutMs: NODE_BACK_MS + 60_000,
  });
  const observer = await liveObserver(h, probe, { scenario, trial, target });
  const service = new AbortController();
  const stopService = (): void => service.abort();
  h.signal.addEventListener('abort', stopService, { once: true });
  try {
    const fault = await h.step(`${scenario.name} #${trial}: fault injected into ${target} (${scenario.fault})`, () =>
      injectFault(faults, scenario, target, { signal: h.signal, began: (at) => observer.faultBegins(at) }),
    );
    if (fault.upMs !== undefined) observer.nodeBack(fault.upMs);
    const serviceFailures = watchService(probe, scenario, observer, { signal: service.signal, listener: h.waits });
    await awaitEnd(h, scenario, observer.marks, trialBudgetMs(scenario, settings));
    return recordTrial(h, { scenario, trial, target, settings, fault, observer, serviceFailures });
  } finally {
    service.abort(new Error('the trial ended'));
    h.signal.removeEventListener('abort', stopService);
    await observer.stop();
  }
}

/** The trial's node and pod watches, started (and their stop deferred) once they deliver the node and the pods. */
async function liveObserver(
  h: Harness,
  probe: ServiceProbe,
  { scenario, trial, target }: { scenario: Scenario; trial: number; target: string },
): Promise<TrialObserver> {
  const observer = new TrialObserver(
    h.kube,
    {
      scenario,
      node: target,
      namespace: h.stack.spec.namespace,
      healthUrl: h.stack.url(probe.healthPath),
      ...(h.stack.host ? { host: h.stack.host } : {}),
    },
    h.signal,
  );
  h.teardown.defer(`watches of ${scenario.name} #${trial} stopped`, () => observer.stop());
  observer.start();
  await h.step('the node and pod watches are live', () =>
    h.waitFor(
      {
        what: `the watches to deliver node ${target} and the stack's pods`,
        check: () => Promise.resolve({ ok: observer.synced, observed: `${observer.pods.size} pods` }),
      },
      { within: '1m' },
    ),
  );
  return observer;
}

/** Probes the service in the background until `signal`; marks when it answers again. Returns the failures it sees, filled as they come. */
function watchService(
  probe: ServiceProbe,
  scenario: Scenario,
  observer: TrialObserver,
  { signal, listener }: { signal: AbortSignal; listener: WaitListener },
): string[] {
  const failures: string[] = [];
  void serviceAnswers(probe, scenario, { healthy: () => observer.healthOk, signal, failures, listener }).then(
    (answer) =>
      markOnce(observer.marks, 'serviceAnswering', {
        mono: performance.now(),
        wall: new Date().toISOString(),
        precisionMs: answer.precisionMs,
      }),
    () => undefined,
  );
  return failures;
}

/** What a trial saw, once its end phases were observed or its budget ran out. */
interface FinishedTrial {
  readonly scenario: Scenario;
  readonly trial: number;
  readonly target: string;
  readonly settings: RecoverySettings;
  readonly fault: InjectedFault;
  readonly observer: TrialObserver;
  readonly serviceFailures: string[];
}

/** The trial's outcome, recorded with `h.trial`, and what explains it. */
function recordTrial(h: Harness, { scenario, trial, target, settings, fault, observer, serviceFailures }: FinishedTrial): TrialResult {
  const outcome = trialOutcome(scenario, observer.marks, {
    faultMono: fault.mono,
    endedMono: performance.now(),
    sloMs: h.config.sloMs,
    facts: facts(observer, settings, scenario, fault),
  });
  h.trial({
    scenario: scenario.name,
    target,
    trial,
    phases: outcome.phases,
    totalMs: outcome.totalMs,
    passed: outcome.passed,
    sloMs: h.config.sloMs,
  });
  const precisionMs = Math.max(1, ...scenario.ends.map((phase) => observer.marks[phase]?.precisionMs ?? 0));
  const seen = { serviceFailures, ...(observer.lastHealthProblem ? { lastHealthProblem: observer.lastHealthProblem } : {}) };
  return { ...outcome, scenario: scenario.name, trial, target, fault, precisionMs, ...seen, ...compare(scenario, observer.marks) };
}

async function awaitEnd(h: Harness, scenario: Scenario, marks: Marks, budgetMs: number): Promise<void> {
  try {
    await h.step(`${scenario.ends.join(' and ')} observed (budget ${Math.round(budgetMs / 1000)} s)`, () =>
      h.waitFor(ended(scenario, marks), { within: budgetMs, interval: 1000 }),
    );
  } catch (error) {
    // A trial that never recovers is still a trial: it is recorded (over the SLO) with what was seen.
    if (!(error instanceof TimeoutError)) throw error;
  }
}

function facts(observer: TrialObserver, settings: RecoverySettings, scenario: Scenario, fault: InjectedFault): TrialFacts {
  return {
    graceS: settings.graceS,
    tolerationS: scenario.tolerationSeconds ?? shortestToleration(settings.pods),
    podsOnTarget: observer.podsOnTarget,
    healthFailed: observer.healthFailed,
    ...(fault.upMs !== undefined ? { backAfterMs: fault.upMs - fault.wallMs } : {}),
  };
}

/** NotReady and Ready observations against the API's timestamps; those the watch could not see live are named, not compared. */
export function compare(scenario: Scenario, marks: Marks): { comparisons: ApiComparison[]; notCompared: string[] } {
  const comparisons: ApiComparison[] = [];
  const notCompared: string[] = [];
  const apiBack = marks.apiAnswering ? Date.parse(marks.apiAnswering.wall) : undefined;
  for (const phase of ['nodeNotReady', 'nodeReady'] as const) {
    const mark = marks[phase];
    if (!mark) continue;
    if (!mark.apiAt) notCompared.push(`${phase}: the API gave no time for it`);
    else if (apiBack !== undefined && Date.parse(mark.apiAt) < apiBack + 2_000)
      notCompared.push(`${phase}: changed at ${mark.apiAt}, while the API server was down or just back, so no watch could see it live`);
    else comparisons.push(compareWithApi(`${scenario.name} ${phase}`, mark.wall, mark.apiAt));
  }
  return { comparisons, notCompared };
}
