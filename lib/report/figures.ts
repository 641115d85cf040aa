// The figures of a run that a trend can compare night to night: each suite's duration, each recovery
// scenario's p50 and p95, and every time the suites measured (workflow, experiment, k6 p95…). Per-trial and
// per-pod measurements are left out: their names change from run to run.
import type { RunModel } from './model.ts';
import { groupByScenario } from './recovery.ts';

/** Figure name → milliseconds. */
export type Figures = Record<string, number>;

/** The comparable figures of a run. */
export function runFigures(model: RunModel): Figures {
  const figures: Figures = {};
  for (const suite of model.suites)
    if (suite.status !== 'skipped' && suite.durationMs > 0) figures[`suite ${suite.name}`] = suite.durationMs;
  for (const group of groupByScenario(model.trials)) {
    figures[`recovery ${group.scenario} p50`] = group.stats.p50Ms;
    figures[`recovery ${group.scenario} p95`] = group.stats.p95Ms;
  }
  for (const metric of model.metrics) {
    if (metric.unit !== 'ms' || /#\d/.test(metric.name) || !Number.isFinite(metric.value)) continue;
    figures[`${metric.suite ?? 'run'}: ${metric.name}`] ??= Math.round(metric.value);
  }
  return figures;
}
