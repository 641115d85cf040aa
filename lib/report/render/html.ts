// index.html: the self-contained sign-off report (inline CSS and SVG, no scripts, no fetches), a pure
// function of the events. Verdict first, then suites and checks, recovery, metrics, trend, sign-off.
import type { RunEvent } from '../events.ts';
import type { HistoryEntry } from '../history.ts';
import { historyEntry } from '../history.ts';
import { buildModel } from '../model-fold.ts';
import type { CheckModel, RunModel, SuiteModel } from '../model.ts';
import { describeRegression, type Regression } from '../regressions.ts';
import { historySection } from './html-history.ts';
import { recoverySection } from './html-recovery.ts';
import { metricsSection, notesSection, pipelineSection, signOffSection } from './html-sections.ts';
import { STYLE } from './html-style.ts';
import { badge, esc, evidenceLink, fmtDate, fmtMs, table } from './html-util.ts';

/** What the HTML report shows besides the run itself. */
export interface HtmlOptions {
  /** Earlier runs for the trend chart; no trend section when absent. */
  history?: readonly HistoryEntry[];
  /** Figures slower than their trend, named in the banner. */
  regressions?: readonly Regression[];
}

// The browser enforces what the report promises: nothing but inline styles and data: images may load.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** index.html for these events. */
export function renderHtml(events: readonly RunEvent[], options: HtmlOptions = {}): string {
  return htmlFromModel(buildModel(events), options);
}

/** index.html for an already built model. */
export function htmlFromModel(model: RunModel, options: HtmlOptions = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>mip-verify ${model.status.toUpperCase()} · ${esc(model.runId)}</title>
<style>${STYLE}</style>
</head>
<body>
${verdictBanner(model, options.regressions ?? [])}
<main>
${summarySection(model)}
${model.suites.map((s, i) => suiteSection(s, i)).join('\n')}
${recoverySection(model)}
${metricsSection(model.metrics)}
${historySection(options.history, historyEntry(model))}
${pipelineSection(model)}
${notesSection(model)}
${signOffSection(model)}
</main>
<footer>Rendered from events.jsonl of run ${esc(model.runId)} by ${esc(model.tool.name)} ${esc(model.tool.version)}. Rebuild with <code>mip-verify report &lt;run-dir&gt;</code>.</footer>
</body>
</html>
`;
}

function verdictBanner(model: RunModel, regressions: readonly Regression[]): string {
  const { passed, failed, skipped } = model.counts;
  const total = passed + failed + skipped;
  const failedChecks = model.suites.flatMap((s, i) =>
    s.checks.flatMap((c, j) => (c.status === 'failed' ? [`<li><a href="#c-${i}-${j}">${esc(s.name)} › ${esc(c.name)}</a></li>`] : [])),
  );
  const where = [
    model.stack ? `stack ${model.stack.name}` : '',
    model.cluster ? `on ${model.cluster.provider} (Kubernetes ${model.cluster.kubernetesVersion})` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `<header class="verdict ${model.status}" id="verdict">
<h1>${model.status.toUpperCase()}</h1>
<p><strong>${total} checks: ${passed} passed, ${failed} failed, ${skipped} skipped</strong> in ${model.suites.length} suites · ${esc(fmtMs(model.durationMs))}</p>
<p>Run ${esc(model.runId)} · ${esc(fmtDate(model.startedAt))}${where ? ` · ${esc(where)}` : ''}</p>
${model.error ? `<p class="run-error">${esc(model.error.message)}</p>` : ''}
${failedChecks.length > 0 ? `<p>Failed:</p><ul>${failedChecks.join('')}</ul>` : ''}
${regressionList(regressions)}
</header>`;
}

function regressionList(regressions: readonly Regression[]): string {
  if (regressions.length === 0) return '';
  const items = regressions.map((r) => `<li>${esc(describeRegression(r, fmtMs))}</li>`).join('');
  return `<p class="regressions">Slower than the trend (${regressions.length}):</p><ul>${items}</ul>`;
}

function summarySection(model: RunModel): string {
  const rows = model.suites.map((s, i) => {
    const count = (status: string): number => s.checks.filter((c) => c.status === status).length;
    const note = s.reason ?? s.error?.message ?? '';
    return [
      `<a href="#s-${i}">${esc(s.name)}</a>`,
      badge(s.status),
      `${count('passed')} / ${count('failed')} / ${count('skipped')}`,
      esc(fmtMs(s.durationMs)),
      esc(note),
    ];
  });
  return `<section id="summary"><h2>Suites</h2>
${table('Suites in run order', ['Suite', 'Status', 'Checks passed / failed / skipped', 'Duration', 'Note'], rows)}
</section>`;
}

function suiteSection(suite: SuiteModel, index: number): string {
  const reason = suite.reason ? `<p>Skipped: ${esc(suite.reason)}</p>` : '';
  const error = suite.error ? `<pre class="error">${esc(suite.error.message)}</pre>` : '';
  const evidence =
    suite.evidence.length > 0 ? `<p>Evidence:</p><ul>${suite.evidence.map((e) => `<li>${evidenceLink(e)}</li>`).join('')}</ul>` : '';
  return `<section class="suite" id="s-${index}"><h2>${esc(suite.title)} ${badge(suite.status)} <span class="muted">${esc(fmtMs(suite.durationMs))}</span></h2>
${reason}${error}${evidence}
${suite.checks.map((c, j) => checkBlock(c, `c-${index}-${j}`)).join('\n')}
</section>`;
}

function checkBlock(check: CheckModel, id: string): string {
  const error = check.error ? `<pre class="error"><strong>${esc(check.error.name)}:</strong> ${esc(check.error.message)}</pre>` : '';
  const reason = check.reason ? `<p>Skipped: ${esc(check.reason)}</p>` : '';
  const steps = check.steps.map((s) => [esc(s.title), badge(s.status), esc(fmtMs(s.durationMs)), s.error ? esc(s.error.message) : '']);
  const waits = check.waits.map(
    (w) => `<li>${w.ok ? 'met' : 'not met'}: ${esc(w.what)} after ${esc(fmtMs(w.elapsedMs))} (last seen: ${esc(w.observed)})</li>`,
  );
  const evidence = check.evidence.map((e) => `<li>${evidenceLink(e)}</li>`);
  return `<details class="check" id="${id}"${check.status === 'failed' ? ' open' : ''}>
<summary>${badge(check.status)} ${esc(check.name)} <span class="muted">${esc(fmtMs(check.durationMs))}</span></summary>
${error}${reason}
${steps.length > 0 ? table('Steps', ['Step', 'Status', 'Duration', 'Error'], steps) : ''}
${waits.length > 0 ? `<p>Waits:</p><ul>${waits.join('')}</ul>` : ''}
${evidence.length > 0 ? `<p>Evidence:</p><ul>${evidence.join('')}</ul>` : ''}
</details>`;
}
