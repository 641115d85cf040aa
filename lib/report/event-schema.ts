// The shape of every event kind, checked when events.jsonl is read back (`mip-verify report`): a line that
// is valid JSON but lacks a field a renderer reads is refused with its line and field, never a TypeError.
import { z } from 'zod';
import type { RunEvent, RunEventKind } from './events.ts';

const status = z.enum(['passed', 'failed', 'skipped']);
const error = z.object({ message: z.string(), name: z.string(), stack: z.string().optional() });
const ms = z.number().finite().nonnegative();
const node = z.object({
  name: z.string(),
  roles: z.array(z.string()),
  labels: z.record(z.string(), z.string()),
  kubeletVersion: z.string(),
  ready: z.boolean(),
});
const phaseMark = z.object({ phase: z.string(), ms: z.number().finite(), at: z.string(), apiAt: z.string().optional() });
const where = { suite: z.string().optional(), test: z.string().optional() };
const chart = z.object({ name: z.string(), version: z.string(), appVersion: z.string().optional(), dir: z.string() });
const imageSource = z.object({
  digest: z.string(),
  revision: z.string().optional(),
  dirty: z.boolean().optional(),
  url: z.string().optional(),
});

const BODIES = {
  'run.begin': { runId: z.string(), tool: z.object({ name: z.string(), version: z.string() }), config: z.record(z.string(), z.unknown()) },
  'run.end': { status: z.enum(['passed', 'failed', 'interrupted', 'error']), exitCode: z.number().int(), error: error.optional() },
  'phase.begin': { phase: z.string(), title: z.string() },
  'phase.end': { phase: z.string(), title: z.string(), ms, status, error: error.optional() },
  'cluster.ready': { provider: z.string(), name: z.string(), kubernetesVersion: z.string(), nodes: z.array(node) },
  'stack.ready': {
    name: z.string(),
    source: z.string(),
    namespace: z.string(),
    images: z.record(z.string(), z.string()),
    imageIds: z.record(z.string(), z.string()).optional(),
    charts: z.array(chart).optional(),
  },
  'stack.images': { imageIds: z.record(z.string(), z.string()), sources: z.record(z.string(), imageSource).optional() },
  'suite.begin': { suite: z.string(), title: z.string() },
  'suite.end': { suite: z.string(), status, ms, reason: z.string().optional() },
  'test.begin': { suite: z.string(), test: z.string() },
  'test.end': { suite: z.string(), test: z.string(), status, ms, error: error.optional(), reason: z.string().optional() },
  'step.begin': { suite: z.string(), test: z.string(), id: z.number().int(), title: z.string() },
  'step.end': { suite: z.string(), test: z.string(), id: z.number().int(), title: z.string(), status, ms, error: error.optional() },
  'wait.attempt': { what: z.string(), attempt: z.number().int(), observed: z.string(), elapsedMs: ms },
  'wait.done': { what: z.string(), ok: z.boolean(), observed: z.string(), elapsedMs: ms },
  metric: { ...where, name: z.string(), value: z.number(), unit: z.string(), precisionMs: ms.optional() },
  trial: {
    scenario: z.string(),
    target: z.string(),
    trial: z.number().int(),
    phases: z.array(phaseMark),
    totalMs: ms,
    passed: z.boolean(),
    sloMs: ms,
  },
  artifact: { ...where, path: z.string(), contentType: z.string(), title: z.string() },
  teardown: { title: z.string(), status: z.enum(['passed', 'failed']), ms, error: error.optional() },
  log: { level: z.enum(['info', 'warn', 'error']), message: z.string() },
} satisfies Record<RunEventKind, z.ZodRawShape>;

const stamp = { v: z.literal(1), seq: z.number().int().positive(), at: z.string() };
const KIND_SCHEMAS = new Map<string, z.ZodType>(
  Object.entries(BODIES).map(([kind, body]) => [kind, z.object({ ...stamp, kind: z.literal(kind), ...body })]),
);

/** The event, or one sentence saying what is wrong with it. */
export function parseRunEvent(value: unknown): { event: RunEvent } | { problem: string } {
  const kind = kindOf(value);
  if (kind === undefined) return { problem: 'it has no event kind' };
  const schema = KIND_SCHEMAS.get(kind);
  if (schema === undefined) return { problem: `its kind '${kind.slice(0, 40)}' is not an event kind` };
  const result = schema.safeParse(value);
  // The line as written (its key order and any extra fields), now known to have what the reports read.
  if (result.success) return { event: value as RunEvent };
  return { problem: describeIssue(kind, result.error.issues[0]) };
}

function kindOf(value: unknown): string | undefined {
  const kind: unknown = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' ? kind : undefined;
}

function describeIssue(kind: string, issue: z.core.$ZodIssue | undefined): string {
  const field = issue?.path.map(String).join('.') || 'the event';
  const missing = issue?.code === 'invalid_type' && issue.input === undefined;
  return `field '${field}' of its '${kind}' event ${missing ? 'is missing' : 'is not valid'}`;
}
