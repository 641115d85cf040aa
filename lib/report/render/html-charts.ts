// Inline SVG charts of the recovery section: a phase timeline per trial and a distribution per
// scenario. Each chart carries a <title>/<desc>; the same numbers are in the tables beside it.
import type { TrialModel } from '../model.ts';
import type { ScenarioGroup } from '../recovery.ts';
import { esc, fmtMs, fmtSeconds } from './html-util.ts';

const WIDTH = 760;
const LEFT = 150;
const RIGHT = 20;
const PLOT = WIDTH - LEFT - RIGHT;
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#e15759'];

/** The reference lines every recovery chart draws. */
export interface Bounds {
  /** End of the x axis, ms. */
  xmaxMs: number;
  /** The SLO, ms. */
  sloMs: number;
  /** The lower bound of the claim, ms. */
  floorMs: number;
}

/** One colour per phase name, in order of first appearance, shared by every chart of a report. */
export function phaseColours(trials: readonly TrialModel[]): Map<string, string> {
  const names = [...new Set(trials.flatMap((t) => [...t.phases].sort((a, b) => a.ms - b.ms).map((p) => p.phase)))];
  return new Map(names.map((name, i) => [name, PALETTE[i % PALETTE.length] ?? '#888']));
}

/** A timeline row per trial of one scenario: each segment ends when its phase was observed. */
export function timelineChart(id: string, group: ScenarioGroup, bounds: Bounds, colours: Map<string, string>): string {
  const rowH = 26;
  const height = 30 + group.trials.length * rowH + 34;
  const rows = group.trials.map((trial, i) => timelineRow(trial, 30 + i * rowH, bounds, colours)).join('\n');
  const desc = group.trials.map((t) => `trial ${t.trial}: ${fmtMs(t.totalMs)}${t.passed ? '' : ' (over SLO)'}`).join('; ');
  return svg({ id, height, title: `Recovery phases of ${group.scenario}, one row per trial`, desc }, [
    rows,
    refLines(bounds, 22, height - 34),
    axis(height - 34, bounds.xmaxMs),
  ]);
}

function timelineRow(trial: TrialModel, y: number, bounds: Bounds, colours: Map<string, string>): string {
  const marks = [...trial.phases].sort((a, b) => a.ms - b.ms);
  let from = 0;
  const segments = marks.map((mark) => {
    const x = xOf(from, bounds.xmaxMs);
    const w = Math.max(1, xOf(mark.ms, bounds.xmaxMs) - x);
    const tip = `${mark.phase}: observed at ${fmtSeconds(mark.ms)} s (segment from ${fmtSeconds(from)} s)`;
    from = mark.ms;
    return `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="16" fill="${colours.get(mark.phase) ?? '#888'}"><title>${esc(tip)}</title></rect>`;
  });
  const end = xOf(trial.totalMs, bounds.xmaxMs).toFixed(1);
  const label = `<text x="${LEFT - 8}" y="${y + 12}" text-anchor="end">trial ${trial.trial} · ${esc(fmtSeconds(trial.totalMs))} s${trial.passed ? '' : ' ✗'}</text>`;
  const done = `<line class="recovered" x1="${end}" x2="${end}" y1="${y - 3}" y2="${y + 19}"><title>recovered at ${esc(fmtSeconds(trial.totalMs))} s</title></line>`;
  return `<g>${label}${segments.join('')}${done}</g>`;
}

/** Dots per trial with p50/p95 markers, the 1-minute floor and the SLO. */
export function distributionChart(id: string, group: ScenarioGroup, bounds: Bounds): string {
  const height = 120;
  const mid = 45;
  const dots = group.trials.map((t, i) => {
    const x = xOf(t.totalMs, bounds.xmaxMs).toFixed(1);
    const y = mid + ((i % 3) - 1) * 9;
    const tip = `<title>trial ${t.trial}: ${esc(fmtSeconds(t.totalMs))} s, ${t.passed ? 'within' : 'over'} SLO</title>`;
    return t.passed
      ? `<circle class="dot pass" cx="${x}" cy="${y}" r="5">${tip}</circle>`
      : `<path class="dot fail" d="M${x} ${y} m-5 -5 l10 10 m0 -10 l-10 10">${tip}</path>`;
  });
  const { p50Ms, p95Ms } = group.stats;
  const desc = `${group.trials.length} trials; p50 ${fmtMs(p50Ms)}, p95 ${fmtMs(p95Ms)}, max ${fmtMs(group.stats.maxMs)}; SLO ${fmtMs(bounds.sloMs)}`;
  return svg({ id, height, title: `Recovery time distribution of ${group.scenario}`, desc }, [
    `<text x="${LEFT - 8}" y="${mid + 4}" text-anchor="end">${esc(group.scenario)}</text>`,
    refLines(bounds, 14, height - 34),
    percentileMark('p50', p50Ms, bounds.xmaxMs, mid + 22),
    percentileMark('p95', p95Ms, bounds.xmaxMs, mid + 22),
    dots.join(''),
    axis(height - 34, bounds.xmaxMs),
  ]);
}

/** A triangle under the axis position; p50's label sits left of it and p95's right, so close marks stay readable. */
function percentileMark(label: 'p50' | 'p95', ms: number, xmaxMs: number, y: number): string {
  const x = xOf(ms, xmaxMs);
  const [dx, anchor] = label === 'p50' ? [-4, 'end'] : [4, 'start'];
  const tip = `<title>${label}: ${esc(fmtSeconds(ms))} s</title>`;
  return `<g class="pmark"><path d="M${x.toFixed(1)} ${y - 6} l-5 8 h10 z">${tip}</path><text x="${(x + dx).toFixed(1)}" y="${y + 12}" text-anchor="${anchor}">${label}</text></g>`;
}

function refLines(bounds: Bounds, top: number, bottom: number): string {
  const line = (cls: string, ms: number, text: string): string => {
    const x = xOf(ms, bounds.xmaxMs).toFixed(1);
    return `<g class="${cls}"><line x1="${x}" x2="${x}" y1="${top}" y2="${bottom}"/><text x="${x}" y="${top - 4}" text-anchor="middle">${esc(text)}</text></g>`;
  };
  return line('floor', bounds.floorMs, `floor ${fmtMs(bounds.floorMs)}`) + line('slo', bounds.sloMs, `SLO ${fmtMs(bounds.sloMs)}`);
}

function axis(y: number, xmaxMs: number): string {
  const step = tickStep(xmaxMs);
  const ticks: string[] = [];
  for (let ms = 0; ms <= xmaxMs; ms += step) {
    const x = xOf(ms, xmaxMs).toFixed(1);
    const label = step >= 60_000 ? `${ms / 60_000} min` : `${ms / 1000} s`;
    ticks.push(`<line x1="${x}" x2="${x}" y1="${y}" y2="${y + 5}"/><text x="${x}" y="${y + 18}" text-anchor="middle">${label}</text>`);
  }
  return `<g class="axis"><line x1="${LEFT}" x2="${LEFT + PLOT}" y1="${y}" y2="${y}"/>${ticks.join('')}</g>`;
}

/** The smallest round step that gives at most 8 ticks. */
function tickStep(xmaxMs: number): number {
  const steps = [5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000];
  return steps.find((s) => xmaxMs / s <= 8) ?? 3_600_000;
}

function xOf(ms: number, xmaxMs: number): number {
  return LEFT + (Math.min(ms, xmaxMs) / xmaxMs) * PLOT;
}

interface Frame {
  id: string;
  height: number;
  title: string;
  desc: string;
}

function svg({ id, height, title, desc }: Frame, parts: readonly string[]): string {
  return [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${id}-t ${id}-d">`,
    `<title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
