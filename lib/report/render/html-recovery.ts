// The recovery section of the HTML report: per scenario a distribution chart and a phase timeline,
// then the percentiles and every trial as tables. Present only when the run recorded trials.
import type { MetricModel, RunModel, TrialModel } from '../model.ts';
import { groupByScenario, sloOf } from '../recovery.ts';
import type { ScenarioGroup } from '../recovery.ts';
import { distributionChart, phaseColours, timelineChart } from './html-charts.ts';
import type { Bounds } from './html-charts.ts';
import { esc, fmtMs, fmtSeconds, table } from './html-util.ts';

/** The recovery section, or '' when there were no trials. */
export function recoverySection(model: RunModel): string {
  const sloMs = sloOf(model.trials);
  if (sloMs === undefined) return '';
  const groups = groupByScenario(model.trials);
  const longest = Math.max(sloMs, ...model.trials.flatMap((t) => [t.totalMs, ...t.phases.map((p) => p.ms)]));
  const bounds: Bounds = { xmaxMs: Math.ceil((longest * 1.08) / 30_000) * 30_000, sloMs, floorMs: model.floorMs };
  const colours = phaseColours(model.trials);
  const legend = [...colours]
    .map(([phase, colour]) => `<li><span class="swatch" style="background:${colour}"></span>${esc(phase)}</li>`)
    .join('');
  const scenarios = groups.map((g, i) => scenarioBlock(g, i, bounds, colours)).join('\n');
  return `<section id="recovery"><h2>Recovery</h2>
<p>Claim: service back within ${esc(fmtMs(model.floorMs))}–${esc(fmtMs(sloMs))} of a fault; each trial is judged against the SLO of ${esc(fmtMs(sloMs))}. ${precisionNote(model.metrics)}</p>
<ul class="legend" aria-label="Phase colours">${legend}<li><span class="swatch slo"></span>SLO</li><li><span class="swatch floor"></span>1-minute floor</li></ul>
<p class="muted">A timeline segment ends when its phase was observed; the black tick marks recovery.</p>
${scenarios}
${percentileTable(groups)}
${trialTable(model.trials, [...colours.keys()])}
${groups.some((g) => g.trials.some((t) => !t.passed)) ? TOLERATION_NOTE : ''}
</section>`;
}

function scenarioBlock(group: ScenarioGroup, index: number, bounds: Bounds, colours: Map<string, string>): string {
  const within = group.trials.filter((t) => t.passed).length;
  const verdict = within === group.trials.length ? 'passed' : 'failed';
  return `<div class="scenario"><h3>${esc(group.scenario)} <span class="badge ${verdict}">${within}/${group.trials.length} within SLO</span></h3>
${distributionChart(`dist-${index}`, group, bounds)}
${timelineChart(`timeline-${index}`, group, bounds, colours)}
</div>`;
}

/** How precise the phase times are, from the precision the recovery suite recorded on its metrics. */
function precisionNote(metrics: readonly MetricModel[]): string {
  const precisions = metrics.filter((m) => m.suite === 'recovery' && m.precisionMs !== undefined).map((m) => m.precisionMs ?? 0);
  if (precisions.length === 0) return 'Phase times come from a monotonic clock; their precision was not recorded.';
  return `Phase times come from a monotonic clock and are precise to ±${esc(fmtMs(Math.max(...precisions)))} (the polling interval of the observations).`;
}

function percentileTable(groups: readonly ScenarioGroup[]): string {
  const rows = groups.map((g) => [
    esc(g.scenario),
    String(g.trials.length),
    String(g.trials.filter((t) => t.passed).length),
    esc(fmtSeconds(g.stats.p50Ms)),
    esc(fmtSeconds(g.stats.p95Ms)),
    esc(fmtSeconds(g.stats.maxMs)),
  ]);
  return table(
    'Recovery percentiles per scenario (nearest rank, seconds)',
    ['Scenario', 'Trials', 'Within SLO', 'p50 s', 'p95 s', 'max s'],
    rows,
    'num',
  );
}

function trialTable(trials: readonly TrialModel[], phases: readonly string[]): string {
  const rows = trials.map((t) => {
    const at = new Map(t.phases.map((p) => [p.phase, p.ms]));
    const cells = phases.map((p) => {
      const ms = at.get(p);
      return ms === undefined ? '—' : esc(fmtSeconds(ms));
    });
    const result = t.passed ? '<span class="badge passed">within SLO</span>' : '<span class="badge failed">over SLO</span>';
    return [esc(t.scenario), String(t.trial), esc(t.target), ...cells, esc(fmtSeconds(t.totalMs)), result];
  });
  const head = ['Scenario', 'Trial', 'Target', ...phases.map((p) => `${esc(p)} s`), 'Total s', 'Result'];
  return table('Every trial: seconds from fault injection until each phase was observed', head, rows, 'num');
}

const TOLERATION_NOTE = `<aside class="note"><h3>Why a dead node takes over 5 minutes</h3>
<p>Pods on a node that stops answering are evicted only when their <code>node.kubernetes.io/unreachable</code> and
<code>node.kubernetes.io/not-ready</code> tolerations run out: 300 s by default, after the node is first marked NotReady
(<code>--node-monitor-grace-period</code> of kube-controller-manager). Settings that shorten it: <code>tolerationSeconds</code>
on those tolerations in the workloads' pod templates, or kube-apiserver's <code>--default-not-ready-toleration-seconds</code> and
<code>--default-unreachable-toleration-seconds</code> for every pod.</p></aside>`;
