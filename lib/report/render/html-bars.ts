// Bar charts of metrics that compare subjects: metrics of one check named `<quantity> on <subject>`
// with the same unit (e.g. "jobs on rq-worker-7c9f", one per worker) are drawn as one horizontal
// bar chart, so an uneven spread shows at a glance. The same numbers stay in the metrics table.
import type { MetricModel } from '../model.ts';
import { esc } from './html-util.ts';

const WIDTH = 760;
const LEFT = 260;
const RIGHT = 60;
const ROW = 22;

/** Metrics drawn together: one quantity of one check, per subject. */
export interface BarGroup {
  /** `jobs`, from `jobs on <subject>`. */
  quantity: string;
  /** Unit shared by the bars. */
  unit: string;
  /** Suite and check the metrics belong to. */
  where: string;
  /** Subject and value of each bar, in the order recorded. */
  bars: { subject: string; value: number }[];
}

/** Groups `<quantity> on <subject>` metrics of one check and unit; groups of fewer than two bars are left out. */
export function barGroups(metrics: readonly MetricModel[]): BarGroup[] {
  const groups = new Map<string, BarGroup>();
  for (const metric of metrics) {
    const match = /^(.+?) on (.+)$/.exec(metric.name);
    if (!match?.[1] || !match[2]) continue;
    const where = [metric.suite, metric.test].filter(Boolean).join(' › ') || 'run';
    const key = `${where}\u0000${match[1]}\u0000${metric.unit}`;
    const group = groups.get(key) ?? { quantity: match[1], unit: metric.unit, where, bars: [] };
    group.bars.push({ subject: match[2], value: metric.value });
    groups.set(key, group);
  }
  return [...groups.values()].filter((group) => group.bars.length >= 2);
}

/** One SVG bar chart per group, with a title and description for screen readers; '' when there is none. */
export function barCharts(metrics: readonly MetricModel[]): string {
  return barGroups(metrics)
    .map((group, i) => barChart(`bars-${i}`, group))
    .join('\n');
}

function barChart(id: string, group: BarGroup): string {
  const max = Math.max(...group.bars.map((b) => b.value), 1);
  const height = group.bars.length * ROW + 30;
  const title = `${group.quantity} on each (${group.unit}) — ${group.where}`;
  const desc = group.bars.map((b) => `${b.subject}: ${b.value} ${group.unit}`).join('; ');
  const rows = group.bars.map((bar, row) => {
    const y = 10 + row * ROW;
    const width = ((WIDTH - LEFT - RIGHT) * Math.max(bar.value, 0)) / max;
    return [
      `<text x="${LEFT - 8}" y="${y + 14}" text-anchor="end" class="label">${esc(bar.subject)}</text>`,
      `<rect x="${LEFT}" y="${y + 2}" width="${width.toFixed(1)}" height="${ROW - 6}" fill="#4e79a7"></rect>`,
      `<text x="${(LEFT + width + 6).toFixed(1)}" y="${y + 14}" class="label">${esc(bar.value)}</text>`,
    ].join('');
  });
  return [
    `<figure><figcaption>${esc(title)}</figcaption>`,
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${id}-t ${id}-d">`,
    `<title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>`,
    ...rows,
    '</svg></figure>',
  ].join('\n');
}
