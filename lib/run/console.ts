// The run's progress on the console: a bus sink that prints the events a person follows live
// (phases, checks, evidence, teardown, warnings) as plain lines; the report has the rest.
import type { EventSink } from '../report/bus.ts';
import type { EventOf, RunEvent, RunEventKind } from '../report/events.ts';
import { formatDuration } from '../wait.ts';

/** How long a check may run without a line before the console says what it is doing. */
export const HEARTBEAT_MS = 30_000;

/**
 * A sink printing progress lines through `out` (and warnings through `err`). While a phase or a check
 * runs longer than `heartbeatMs` without a line, a timestamped line says which step it is on and what
 * its wait last saw, every `heartbeatMs`.
 */
export function consoleSink(out: (line: string) => void, err: (line: string) => void, heartbeatMs: number = HEARTBEAT_MS): EventSink {
  const running: Running & { lastLine: number } = { since: 0, lastLine: performance.now() };
  const timer = setInterval(
    () => {
      const now = performance.now();
      const what = running.step ?? running.test ?? running.phase;
      if (what === undefined || now - running.lastLine < heartbeatMs) return;
      running.lastLine = now;
      const doing = [what, running.seen].filter(Boolean).join(' — ');
      out(`    ${new Date().toISOString().slice(11, 19)} … ${doing} (${formatDuration(now - running.since)} so far)`);
    },
    Math.min(heartbeatMs, 5_000),
  );
  timer.unref();
  return (event) => {
    follow(running, event);
    const line = lineFor(event);
    if (line === undefined) return;
    running.lastLine = performance.now();
    const print = event.kind === 'log' && event.level !== 'info' ? err : out;
    line.split('\n').forEach((part) => print(part));
    if (event.kind === 'run.end') clearInterval(timer);
  };
}

/** What the run is doing: its phase, and within it the check, its step and what its wait last saw. */
interface Running {
  phase?: string;
  test?: string;
  step?: string;
  seen?: string;
  /** When the phase or check began (monotonic ms). */
  since: number;
}

/** Keeps what the run is doing up to date. */
function follow(running: Running, event: RunEvent): void {
  if (event.kind === 'phase.begin') Object.assign(running, { phase: event.title, since: performance.now() });
  else if (event.kind === 'phase.end') Object.assign(running, { phase: undefined, test: undefined, step: undefined, seen: undefined });
  else if (event.kind === 'test.begin')
    Object.assign(running, { test: event.test, step: undefined, seen: undefined, since: performance.now() });
  else if (event.kind === 'test.end')
    Object.assign(running, { test: undefined, step: undefined, seen: undefined, since: performance.now() });
  else if (event.kind === 'step.begin') Object.assign(running, { step: event.title, seen: undefined });
  else if (event.kind === 'wait.attempt') running.seen = `waiting for ${event.what} (last seen: ${event.observed})`;
}

type Formatters = { [K in RunEventKind]?: (event: EventOf<K>) => string | undefined };

const FORMATTERS: Formatters = {
  'phase.begin': (e) => `▶ ${e.title}`,
  'phase.end': (e) =>
    e.status === 'failed'
      ? `✘ ${e.title} failed after ${formatDuration(e.ms)}: ${e.error?.message ?? 'no reason given'}`
      : `✔ ${e.title} (${formatDuration(e.ms)})`,
  'cluster.ready': (e) =>
    `  cluster ${e.name} (${e.provider}): Kubernetes ${e.kubernetesVersion}, ${e.nodes.length} node${e.nodes.length === 1 ? '' : 's'}`,
  'stack.ready': (e) => `  stack ${e.name} in namespace ${e.namespace}`,
  'suite.begin': (e) => `  suite ${e.suite}`,
  'test.end': (e) => testLine(e),
  artifact: (e) => (e.suite === undefined ? `  evidence: ${e.path}` : undefined),
  teardown: (e) =>
    e.status === 'failed'
      ? `  ✘ teardown: ${e.title} failed: ${e.error?.message ?? 'no reason given'}`
      : `  ✔ teardown: ${e.title} (${formatDuration(e.ms)})`,
  log: (e) => indent(e.level === 'info' ? e.message : `! ${e.message}`),
};

function lineFor(event: RunEvent): string | undefined {
  const format = FORMATTERS[event.kind] as ((e: RunEvent) => string | undefined) | undefined;
  return format?.(event);
}

function testLine(event: Extract<RunEvent, { kind: 'test.end' }>): string {
  switch (event.status) {
    case 'passed':
      return `    ✔ ${event.test} (${formatDuration(event.ms)})`;
    case 'failed':
      return `    ✘ ${event.test}: ${event.error?.message.split('\n')[0] ?? 'failed'}`;
    case 'skipped':
      return `    - ${event.test} (skipped${event.reason ? `: ${event.reason}` : ''})`;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
