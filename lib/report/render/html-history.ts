// The trend section of the HTML report: one bar per past run (height = duration, colour and mark =
// verdict), up to and including this run, with the same numbers in a table.
import type { HistoryEntry } from '../history.ts';
import { badge, esc, fmtDate, fmtMs, table } from './html-util.ts';

/** Runs shown in the trend; older ones stay in history.jsonl. */
const MAX_RUNS = 30;

/** The history section; '' when no history was given. */
export function historySection(history: readonly HistoryEntry[] | undefined, current: HistoryEntry): string {
  if (!history) return '';
  // A rebuilt old report shows the trend as it stood then: later runs are left out.
  const earlier = history.filter((h) => h.runId !== current.runId && h.startedAt <= current.startedAt);
  const runs = [...earlier, current].slice(-MAX_RUNS);
  const rows = [...runs].reverse().map((h) => [
    esc(h.runId) + (h.runId === current.runId ? ' <span class="muted">(this run)</span>' : ''),
    esc(fmtDate(h.startedAt)),
    badge(h.status),
    esc(fmtMs(h.durationMs)),
    esc(
      h.suites
        .filter((s) => s.status === 'failed')
        .map((s) => s.name)
        .join(', ') || '—',
    ),
  ]);
  return `<section id="history"><h2>Trend</h2>
${trendChart(runs, current.runId)}
${table(`Last ${runs.length} runs, newest first`, ['Run', 'Started', 'Verdict', 'Duration', 'Failed suites'], rows)}
</section>`;
}

function trendChart(runs: readonly HistoryEntry[], currentId: string): string {
  const width = 760;
  const height = 180;
  const left = 60;
  const bottom = height - 30;
  const plotH = bottom - 20;
  const slot = (width - left - 10) / Math.max(runs.length, 1);
  const longest = Math.max(1, ...runs.map((r) => r.durationMs));
  const bars = runs.map((run, i) => {
    const h = Math.max(2, (run.durationMs / longest) * plotH);
    const x = left + i * slot + slot * 0.15;
    const w = slot * 0.7;
    const mark = run.status === 'passed' ? '✓' : '✗';
    const cls = `${run.status}${run.runId === currentId ? ' current' : ''}`;
    const tip = `${run.runId}: ${run.status}, ${fmtMs(run.durationMs)}`;
    return `<g class="bar ${cls}"><rect x="${x.toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(tip)}</title></rect><text x="${(x + w / 2).toFixed(1)}" y="${bottom + 16}" text-anchor="middle">${mark}</text></g>`;
  });
  const passed = runs.filter((r) => r.status === 'passed').length;
  return [
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="trend-t trend-d">`,
    `<title id="trend-t">Verdict and duration of the last ${runs.length} runs</title>`,
    `<desc id="trend-d">${passed} of ${runs.length} runs passed; longest run ${esc(fmtMs(longest))}. Oldest on the left.</desc>`,
    `<g class="axis"><line x1="${left}" x2="${width - 10}" y1="${bottom}" y2="${bottom}"/><text x="${left - 6}" y="${bottom - plotH + 4}" text-anchor="end">${esc(fmtMs(longest))}</text><text x="${left - 6}" y="${bottom}" text-anchor="end">0</text></g>`,
    ...bars,
    '</svg>',
  ].join('\n');
}
