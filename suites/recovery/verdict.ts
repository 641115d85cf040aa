// The verdict of a scenario in words: which trials missed the SLO, when each phase came, and which settings
// explain the time (grace period and tolerations for a dead node).
import type { PhaseMark } from '../../lib/report/events.ts';
import type { AbsentPhase } from '../../lib/recovery/phases.ts';
import type { Scenario } from '../../lib/recovery/scenarios.ts';

/** What the verdict of one trial needs. */
export interface TrialSummary {
  /** Trial number. */
  trial: number;
  /** Node faulted. */
  target: string;
  /** Seen phases. */
  phases: readonly PhaseMark[];
  /** Phases not seen, with why. */
  absent: readonly AbsentPhase[];
  /** Fault to recovery (ms). */
  totalMs: number;
  /** Whether the end phases were all seen. */
  complete: boolean;
  /** Within the SLO. */
  passed: boolean;
  /** What the service probe saw go wrong, most recent last. */
  serviceFailures?: readonly string[];
  /** What the last failed health probe saw. */
  lastHealthProblem?: string;
}

/** For a trial that never recovered: the last things the probes saw. */
function lastSeen(t: TrialSummary): string {
  const notes = [
    t.lastHealthProblem ? `last health probe: ${t.lastHealthProblem}` : '',
    t.serviceFailures?.length ? `last workflow problem: ${t.serviceFailures[t.serviceFailures.length - 1] ?? ''}` : '',
  ].filter(Boolean);
  return notes.length > 0 ? `; ${notes.join('; ')}` : '';
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** `nodeNotReady 45 s, podsEvicted 347 s, …` and the absent phases with their reasons. */
export function describePhases(t: Pick<TrialSummary, 'phases' | 'absent'>): string {
  const seen = t.phases.map((p) => `${p.phase} ${seconds(p.ms)}`).join(', ') || 'no phase seen';
  const absent = t.absent.map((a) => `${a.phase} absent: ${a.reason}`).join('; ');
  return absent ? `${seen}; ${absent}` : seen;
}

/** Why a dead node takes this long, when the settings explain it. */
export function settingsExplanation(
  scenario: Scenario,
  graceS: number,
  tolerationS: number | undefined,
  sloMs: number,
): string | undefined {
  if (scenario.fault !== 'stop' || tolerationS === undefined) return undefined;
  const floor = graceS + tolerationS;
  const verdict =
    floor * 1000 >= sloMs
      ? `already ${floor * 1000 === sloMs ? 'equal to' : 'over'} the SLO before any pod is rescheduled`
      : `within the SLO, leaving ${seconds(sloMs - floor * 1000)} to reschedule and start`;
  return `pods on a dead node are evicted only after node-monitor-grace-period (${graceS} s) plus their not-ready/unreachable tolerationSeconds (${tolerationS} s) = ${floor} s, ${verdict}`;
}

/** The failure message of a scenario, or undefined when every trial met the SLO. */
export function scenarioFailure(
  scenario: Scenario,
  trials: readonly TrialSummary[],
  options: { sloMs: number; explanation?: string },
): string | undefined {
  const missed = trials.filter((t) => !t.passed);
  if (missed.length === 0) return undefined;
  const lines = missed.map((t) =>
    t.complete
      ? `trial ${t.trial} on ${t.target} recovered after ${seconds(t.totalMs)}, over the SLO of ${seconds(options.sloMs)} (${describePhases(t)})`
      : `trial ${t.trial} on ${t.target} did not recover within ${seconds(t.totalMs)} (${describePhases(t)}${lastSeen(t)})`,
  );
  const why = options.explanation ? `: ${options.explanation}` : '';
  return `${scenario.name}: ${missed.length}/${trials.length} trials missed the SLO${why}. ${lines.join('. ')}`;
}
