// Tonight against the trend: a figure is flagged when it is slower than the median of the last nights by more
// than the threshold the user set (and by more than a second, so jitter on fast figures is not news). Only the
// nights before the run count, so rebuilding an old report later gives the same flags.
import { runFigures, type Figures } from './figures.ts';
import type { HistoryEntry } from './history.ts';
import type { RunModel } from './model.ts';
import { nearestRank } from './recovery.ts';

/** One figure slower than its trend. */
export interface Regression {
  /** The figure (`suite recovery`, `recovery worker-reboot p95`, `smoke: workflow run time`). */
  figure: string;
  /** Tonight's value, ms. */
  valueMs: number;
  /** Median of the earlier nights, ms. */
  medianMs: number;
  /** How many earlier nights the median is of. */
  nights: number;
  /** (value − median) / median, percent, rounded. */
  changePct: number;
}

/** How regressions are judged. */
export interface RegressionRule {
  /** Slower than the median by more than this percentage is flagged. */
  thresholdPct: number;
  /** Nights the median looks back over (default 7). */
  window?: number;
  /** Fewer earlier nights than this with the figure: no judgement (default 3). */
  minNights?: number;
  /** Smaller absolute changes are never flagged, ms (default 1000). */
  minChangeMs?: number;
}

/** The figures of tonight that are slower than their trend, worst first. */
export function findRegressions(tonight: Figures, startedAt: string, history: readonly HistoryEntry[], rule: RegressionRule): Regression[] {
  const earlier = history.filter((entry) => entry.startedAt < startedAt);
  const window = rule.window ?? 7;
  const found: Regression[] = [];
  for (const [figure, valueMs] of Object.entries(tonight)) {
    const past = earlier.flatMap((entry) => (entry.figures?.[figure] === undefined ? [] : [entry.figures[figure]])).slice(-window);
    if (past.length < (rule.minNights ?? 3)) continue;
    const medianMs = nearestRank(past, 50);
    const change = valueMs - medianMs;
    if (medianMs <= 0 || change <= (rule.minChangeMs ?? 1000) || change / medianMs <= rule.thresholdPct / 100) continue;
    found.push({ figure, valueMs, medianMs, nights: past.length, changePct: Math.round((change / medianMs) * 100) });
  }
  return found.sort((a, b) => b.changePct - a.changePct);
}

/** The threshold a run was given (`regressionThresholdPct` in run.begin's configuration), else 25%. */
export const DEFAULT_THRESHOLD_PCT = 25;

/** The regressions of a run against the history it had, judged by the threshold it was given. */
export function regressionsOf(model: RunModel, history: readonly HistoryEntry[]): Regression[] {
  const configured = model.config.regressionThresholdPct;
  const thresholdPct = typeof configured === 'number' && configured > 0 ? configured : DEFAULT_THRESHOLD_PCT;
  return findRegressions(runFigures(model), model.startedAt, history, { thresholdPct });
}

/** One line for a regression: `recovery worker-reboot p95: 4m2s, +61% on the median of 7 nights (2m30s)`. */
export function describeRegression(r: Regression, format: (ms: number) => string): string {
  return `${r.figure}: ${format(r.valueMs)}, +${r.changePct}% on the median of ${r.nights} nights (${format(r.medianMs)})`;
}
