// Small building blocks of the HTML report: escaping, number formats, status badges, tables and
// evidence links. Every string that came from an event goes through esc() before it reaches markup.
import type { Status } from '../events.ts';
import type { Evidence } from '../model.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe for element content and quoted attribute values. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** A duration for people: `850 ms`, `42.3 s`, `5 min 35 s`. */
export function fmtMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const rest = totalSeconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** Seconds with one decimal, the unit of every recovery table. */
export function fmtSeconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

/** A status badge that says its status in words, not only in colour. */
export function badge(status: Status | 'passed' | 'failed'): string {
  return `<span class="badge ${status}">${status.toUpperCase()}</span>`;
}

/** A table; cells are markup (escape them first). Header cells get scope="col" for screen readers. */
export function table(caption: string, head: readonly string[], rows: readonly (readonly string[])[], cls = ''): string {
  const th = head.map((h) => `<th scope="col">${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${esc(cls)}"><caption>${esc(caption)}</caption><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/**
 * A link to a collected file, only when its path stays inside the run directory's artifacts/ folder;
 * anything else (absolute paths, `..`, URLs) is shown as text, so a report never points outside itself.
 */
export function evidenceLink(item: Evidence): string {
  const segments = item.path.split('/');
  const inside = segments[0] === 'artifacts' && segments.length > 1 && segments.every((s) => s !== '' && s !== '.' && s !== '..');
  const label = `${esc(item.title)} <span class="muted">(${esc(item.contentType)})</span>`;
  if (!inside) return `${label} <code>${esc(item.path)}</code>`;
  return `<a href="${esc(segments.map(encodeURIComponent).join('/'))}">${label}</a>`;
}

/** An ISO time as `2026-11-22 02:00:03 UTC`. */
export function fmtDate(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}
