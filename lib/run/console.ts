// The run's progress on the console: a bus sink that prints the events a person follows live
// (phases, checks, evidence, teardown, warnings) as plain lines; the report has the rest.
import type { EventSink } from '../report/bus.ts';
import type { EventOf, RunEvent, RunEventKind } from '../report/events.ts';
import { formatDuration } from '../wait.ts';

/** A sink printing progress lines through `out` (and warnings through `err`). */
export function consoleSink(out: (line: string) => void, err: (line: string) => void): EventSink {
  return (event) => {
    const line = lineFor(event);
    if (line === undefined) return;
    const print = event.kind === 'log' && event.level !== 'info' ? err : out;
    line.split('\n').forEach((part) => print(part));
  };
}

type Formatters = { [K in RunEventKind]?: (event: EventOf<K>) => string | undefined };

const FORMATTERS: Formatters = {
  'phase.begin': (e) => `▶ ${e.title}`,
  'phase.end': (e) =>
    e.status === 'failed'
      ? `✘ ${e.title} failed after ${formatDuration(e.ms)}: ${e.error?.message ?? 'no reason given'}`
      : `✔ ${e.title} (${formatDuration(e.ms)})`,
  'cluster.ready': (e) => `  cluster ${e.name} (${e.provider}): Kubernetes ${e.kubernetesVersion}, ${e.nodes.length} node${e.nodes.length === 1 ? '' : 's'}`,
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
