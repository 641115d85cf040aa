// Turns what a trial observed (the first moment each phase was seen) into the trial's phase marks, its
// total and its verdict. A phase that was not seen is reported absent with the reason, never invented.
import type { PhaseMark } from '../report/events.ts';
import { PHASES, type Phase, type Scenario } from './scenarios.ts';

/** The first observation of a phase. */
export interface Mark {
  /** `performance.now()` when it was observed. */
  mono: number;
  /** Wall clock of the same moment (ISO). */
  wall: string;
  /** The API's own timestamp of the change, when it has one (ISO, whole seconds). */
  apiAt?: string;
  /** How far before `mono` the phase may have begun: the gap since the previous look that did not see it (ms). */
  precisionMs: number;
}

/** Phases seen so far; the first mark of a phase is kept. */
export type Marks = Partial<Record<Phase, Mark>>;

/** What the reasons for absent phases depend on. */
export interface TrialFacts {
  /** kube-controller-manager's node-monitor-grace-period (s). */
  graceS: number;
  /** The shortest not-ready/unreachable tolerationSeconds of the stack's pods (s). */
  tolerationS?: number;
  /** Stack pods on the target node when the fault began. */
  podsOnTarget: number;
  /** Whether a health probe failed after the fault. */
  healthFailed: boolean;
  /** Fault to the node answering again (its container running), when it was brought back (ms). */
  backAfterMs?: number;
}

/** A phase that was looked for but not seen. */
export interface AbsentPhase {
  /** Phase name. */
  phase: Phase;
  /** Why it is absent. */
  reason: string;
}

/** A trial's result. */
export interface TrialOutcome {
  /** Seen phases in time order. */
  phases: PhaseMark[];
  /** Watched phases not seen. */
  absent: AbsentPhase[];
  /** Fault to the last phase that ends the trial; the time waited when one never came (ms). */
  totalMs: number;
  /** Whether every phase that ends the trial was seen. */
  complete: boolean;
  /** Complete and within the SLO. */
  passed: boolean;
}

/** Records the first sighting of a phase (later sightings are ignored). */
export function markOnce(marks: Marks, phase: Phase, mark: Mark): boolean {
  if (marks[phase]) return false;
  marks[phase] = mark;
  return true;
}

/** Whether every phase that ends the scenario's trial was seen. */
export function trialEnded(scenario: Scenario, marks: Marks): boolean {
  return scenario.ends.every((phase) => marks[phase] !== undefined);
}

/** The outcome of a trial from its marks; `endedMono` is when the trial stopped looking. */
export function trialOutcome(
  scenario: Scenario,
  marks: Marks,
  seen: { faultMono: number; endedMono: number; sloMs: number; facts: TrialFacts },
): TrialOutcome {
  const { facts } = seen;
  const fault = { mono: seen.faultMono };
  const options = seen;
  const since = (mono: number): number => Math.max(0, Math.round(mono - fault.mono));
  const phases: PhaseMark[] = PHASES.flatMap((phase) => {
    const mark = marks[phase];
    return mark ? [{ phase, ms: since(mark.mono), at: mark.wall, ...(mark.apiAt ? { apiAt: mark.apiAt } : {}) }] : [];
  }).sort((a, b) => a.ms - b.ms);
  const absent = scenario.watched
    .filter((phase) => !marks[phase])
    .map((phase) => ({ phase, reason: absentReason(scenario, phase, facts) }));
  const complete = trialEnded(scenario, marks);
  const ends = scenario.ends.map((phase) => marks[phase]?.mono ?? options.endedMono);
  const totalMs = since(Math.max(...ends));
  return { phases, absent, totalMs, complete, passed: complete && totalMs <= options.sloMs };
}

type Reason = (scenario: Scenario, facts: TrialFacts) => string | undefined;

const REASONS: Partial<Record<Phase, Reason>> = {
  nodeNotReady: (scenario, facts) => {
    if (scenario.controlPlane)
      return 'the controller-manager that marks nodes NotReady ran on the stopped node, so no node was marked NotReady';
    const back = facts.backAfterMs === undefined ? '' : ` (it ran again ${Math.round(facts.backAfterMs / 1000)} s after the fault)`;
    return scenario.fault === 'stop' ? undefined : `the node was back before node-monitor-grace-period (${facts.graceS} s) ran out${back}`;
  },
  podsEvicted: (scenario, facts) => {
    if (facts.podsOnTarget === 0) return 'no pod of the stack ran on the node';
    return scenario.fault === 'stop'
      ? undefined
      : `the node was back before the not-ready/unreachable tolerations (${facts.tolerationS ?? '?'} s) ran out: its pods restarted in place`;
  },
  podsReady: (_scenario, facts) => (facts.podsOnTarget === 0 ? 'no pod of the stack ran on the node' : undefined),
  healthBack: (_scenario, facts) =>
    facts.healthFailed ? undefined : 'the health endpoint answered through the ingress throughout the trial',
  apiUnreachable: () => 'every probe of the API answered: the outage was shorter than the probe interval',
};

/** Why a watched phase was not seen, from what is known about the trial. */
export function absentReason(scenario: Scenario, phase: Phase, facts: TrialFacts): string {
  return REASONS[phase]?.(scenario, facts) ?? 'not observed within the trial budget';
}
