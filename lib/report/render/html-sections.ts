// Sections of the HTML report after the suites: pipeline and teardown timings, metrics, run notes
// and the sign-off block a release manager prints and signs.
import { barCharts } from './html-bars.ts';
import type { ChartInfo, ImageSource } from '../events.ts';
import type { MetricModel, RunModel, TimedPart } from '../model.ts';
import { badge, esc, evidenceLink, fmtDate, fmtMs, table } from './html-util.ts';

/** Pipeline phases, run-level evidence and teardown actions; '' when none was recorded. */
export function pipelineSection(model: RunModel): string {
  if (model.pipeline.length === 0 && model.teardown.length === 0 && model.evidence.length === 0) return '';
  const evidence = model.evidence.map((e) => `<li>${evidenceLink(e)}</li>`).join('');
  const rows = (parts: readonly TimedPart[]): string[][] =>
    parts.map((p) => [esc(p.title), badge(p.status), esc(fmtMs(p.durationMs)), p.error ? esc(p.error.message) : '']);
  const head = ['Step', 'Status', 'Duration', 'Error'];
  return `<section id="pipeline"><h2>Run phases and teardown</h2>
${model.pipeline.length > 0 ? table('Run phases', head, rows(model.pipeline)) : ''}
${evidence ? `<p>Evidence collected for the whole run:</p><ul>${evidence}</ul>` : ''}
${model.teardown.length > 0 ? table('Teardown, in the order it ran', head, rows(model.teardown)) : ''}
</section>`;
}

/** Every metric with its precision; '' when none was recorded. */
export function metricsSection(metrics: readonly MetricModel[]): string {
  if (metrics.length === 0) return '';
  const rows = metrics.map((m) => [
    esc(m.name),
    esc([m.suite, m.test].filter(Boolean).join(' › ') || 'run'),
    esc(`${m.value} ${m.unit}`),
    m.precisionMs === undefined ? '<span class="muted">not recorded</span>' : esc(`± ${fmtMs(m.precisionMs)}`),
  ]);
  return `<section id="metrics"><h2>Metrics</h2>
${barCharts(metrics)}
${table('Measurements of this run', ['Metric', 'Where', 'Value', 'Precision'], rows, 'num')}
</section>`;
}

/** Warnings and errors logged during the run; '' when there were none. */
export function notesSection(model: RunModel): string {
  const notes = model.logs.filter((l) => l.level !== 'info');
  if (notes.length === 0) return '';
  const items = notes.map(
    (n) => `<li><span class="badge ${n.level === 'error' ? 'failed' : 'skipped'}">${n.level.toUpperCase()}</span> ${esc(n.message)}</li>`,
  );
  return `<section id="notes"><h2>Notes from the run</h2><ul>${items.join('')}</ul></section>`;
}

/** `exaflow 1.2.0 (app 0.28.0) from <dir>`. */
function chartLine(chart: ChartInfo): string {
  return `${esc(chart.name)} <code>${esc(chart.version)}</code>${chart.appVersion ? ` (app ${esc(chart.appVersion)})` : ''} from <code>${esc(chart.dir)}</code>`;
}

/** The image ID the nodes ran (what a sign-off pins), shown after the reference. */
function pinned(imageId: string | undefined): string {
  return imageId ? ` <small>ran as <code>${esc(imageId)}</code></small>` : '';
}

/**
 * What an image built from a checkout was built from, shown after its ID: the commit (with the digest of
 * the files sent when the checkout had changes) and the remote, or the digest alone; '' for other images.
 */
function builtFrom(source: ImageSource | undefined): string {
  if (!source) return '';
  const short = source.digest.replace(/^(sha256:)?([0-9a-f]{12})[0-9a-f]*$/, '$1$2');
  const digest = `content <code title="${esc(source.digest)}">${esc(short)}</code>`;
  const commit = source.revision
    ? `commit <code title="${esc(source.revision)}">${esc(source.revision.slice(0, 12))}</code>${source.dirty ? ` (dirty; ${digest})` : ''}`
    : digest;
  return ` <small>built from ${commit}${source.url ? ` of <code>${esc(source.url)}</code>` : ''}</small>`;
}

/** What was tested and with what, plus blank fields for the person who signs the release off. */
export function signOffSection(model: RunModel): string {
  const { cluster, stack } = model;
  const nodes = cluster
    ? cluster.nodes
        .map(
          (n) =>
            `${esc(n.name)} (${esc(n.roles.join(', ') || 'no role')}, kubelet ${esc(n.kubeletVersion)}${n.ready ? '' : ', not ready'})`,
        )
        .join('<br>')
    : 'not provisioned';
  const images = stack
    ? Object.entries(stack.images)
        .map(([name, ref]) => `${esc(name)}: <code>${esc(ref)}</code>${pinned(stack.imageIds[name])}${builtFrom(stack.imageSources[ref])}`)
        .join('<br>')
    : '—';
  const facts: [string, string][] = [
    ['Verdict', `${badge(model.status)} exit code ${esc(model.exitCode ?? 'none (run did not finish)')}`],
    ['Run', `${esc(model.runId)}, ${esc(fmtDate(model.startedAt))}, ${esc(fmtMs(model.durationMs))}`],
    ['Tool', `${esc(model.tool.name)} ${esc(model.tool.version)}`],
    [
      'Cluster',
      cluster ? `${esc(cluster.provider)} “${esc(cluster.name)}”, Kubernetes ${esc(cluster.kubernetesVersion)}` : 'not provisioned',
    ],
    ['Nodes', nodes],
    ['Stack', stack ? `${esc(stack.name)} from <code>${esc(stack.source)}</code>, namespace ${esc(stack.namespace)}` : 'not deployed'],
    ['Images', images],
    ...(stack && stack.charts.length > 0 ? [['Charts', stack.charts.map(chartLine).join('<br>')] as [string, string]] : []),
  ];
  const rows = facts.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('\n');
  return `<section id="sign-off"><h2>Sign-off</h2>
<table class="facts"><caption>What this report covers</caption><tbody>
${rows}
</tbody></table>
<table class="signature"><caption>Release sign-off</caption><tbody>
<tr><th scope="row">Signed off by</th><td></td></tr>
<tr><th scope="row">Date</th><td></td></tr>
<tr><th scope="row">Signature</th><td></td></tr>
</tbody></table>
</section>`;
}
