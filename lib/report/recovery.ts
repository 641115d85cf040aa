// Recovery statistics shared by the JSON and HTML reports: trials grouped per scenario and their
// nearest-rank percentiles (no interpolation: every reported value is a time some trial really took).
import type { TrialModel } from './model.ts';

/** Percentiles of one scenario's total recovery times. */
export interface ScenarioStats {
  /** Median (nearest rank), ms. */
  p50Ms: number;
  /** 95th percentile (nearest rank), ms. */
  p95Ms: number;
  /** Slowest trial, ms. */
  maxMs: number;
}

/** One scenario with its trials in recorded order. */
export interface ScenarioGroup {
  /** Scenario name. */
  scenario: string;
  /** Its trials. */
  trials: TrialModel[];
  /** Percentiles of their totalMs. */
  stats: ScenarioStats;
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function nearestRank(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('nearestRank needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** Trials grouped by scenario, in order of first appearance. */
export function groupByScenario(trials: readonly TrialModel[]): ScenarioGroup[] {
  const groups = new Map<string, TrialModel[]>();
  for (const trial of trials) groups.set(trial.scenario, [...(groups.get(trial.scenario) ?? []), trial]);
  return [...groups].map(([scenario, list]) => {
    const totals = list.map((t) => t.totalMs);
    return {
      scenario,
      trials: list,
      stats: { p50Ms: nearestRank(totals, 50), p95Ms: nearestRank(totals, 95), maxMs: Math.max(...totals) },
    };
  });
}

/** The SLO of a set of trials: the first trial's (a run uses one SLO); undefined without trials. */
export function sloOf(trials: readonly TrialModel[]): number | undefined {
  return trials[0]?.sloMs;
}
