// The HTML report's stylesheet, inlined: system fonts only, no url(), no @import, readable in print.

/** CSS of index.html. */
export const STYLE = `
:root { --pass: #1a7f37; --fail: #c62828; --skip: #8a6d00; --ink: #1f2328; --muted: #59636e; --line: #d0d7de; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); }
main, .verdict { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
.verdict { margin-top: 16px; padding: 20px 24px; border-radius: 8px; color: #fff; }
.verdict.passed { background: var(--pass); }
.verdict.failed { background: var(--fail); }
.verdict h1 { margin: 0; font-size: 2.2em; letter-spacing: .04em; }
.verdict p { margin: 4px 0; }
.verdict a { color: #fff; }
.verdict .run-error { background: rgba(0,0,0,.18); padding: 6px 10px; border-radius: 4px; }
h2 { margin-top: 32px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
table { border-collapse: collapse; margin: 12px 0; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th, th[scope=row] { background: var(--bg); }
table.num td { font-variant-numeric: tabular-nums; }
table.num td:not(:first-child):not(:nth-child(2)) { white-space: nowrap; }
td { overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: .8em; font-weight: 700; color: #fff; }
.badge.passed { background: var(--pass); }
.badge.failed { background: var(--fail); }
.badge.skipped { background: var(--skip); }
.muted { color: var(--muted); }
details.check { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 6px 10px; }
details.check[open] { background: #fff; }
details.check summary { cursor: pointer; }
pre.error { white-space: pre-wrap; background: #fff5f5; border-left: 4px solid var(--fail); padding: 8px; overflow-x: auto; }
.chart { display: block; max-width: 100%; height: auto; font-size: 11px; fill: var(--ink); }
.chart .axis line { stroke: var(--muted); }
.chart .slo line { stroke: var(--fail); stroke-width: 2; stroke-dasharray: 6 3; }
.chart .slo text { fill: var(--fail); }
.chart .floor line { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 2 3; }
.chart .recovered { stroke: #000; stroke-width: 2; }
.chart .dot.pass { fill: var(--pass); }
.chart .dot.fail { stroke: var(--fail); stroke-width: 2.5; fill: none; }
.chart .pmark path { fill: var(--ink); }
.chart .bar.passed rect { fill: var(--pass); }
.chart .bar.failed rect { fill: var(--fail); }
.chart .bar.current rect { stroke: #000; stroke-width: 2; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 14px; }
.swatch { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: middle; }
.swatch.slo { background: var(--fail); }
.swatch.floor { background: var(--muted); }
.note { background: var(--bg); border-left: 4px solid var(--skip); padding: 4px 14px; }
table.signature td { height: 2.6em; width: 70%; }
footer { max-width: 1100px; margin: 32px auto; padding: 0 24px; color: var(--muted); font-size: .85em; }
@media print {
  .verdict { color: #000; border: 3px solid currentColor; }
  .verdict.passed, .verdict.failed { background: none; }
  details.check { break-inside: avoid; }
  section#sign-off { break-before: page; }
}
`;
