// reports/history.jsonl: one line per run, so the HTML report can show a trend across nightly runs.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvent, Status } from './events.ts';
import { buildModel } from './model.ts';
import type { RunModel } from './model.ts';

/** One run as the trend remembers it. */
export interface HistoryEntry {
  /** Run id (sortable by time). */
  runId: string;
  /** Run start (ISO). */
  startedAt: string;
  /** Computed verdict. */
  status: 'passed' | 'failed';
  /** Run duration, ms. */
  durationMs: number;
  /** Each suite's computed status. */
  suites: { name: string; status: Status }[];
}

/** The history file of a report directory. */
export function historyFile(reportDir: string): string {
  return join(reportDir, 'history.jsonl');
}

/** The history entry of a run. */
export function historyEntry(model: RunModel): HistoryEntry {
  return {
    runId: model.runId,
    startedAt: model.startedAt,
    status: model.status,
    durationMs: model.durationMs,
    suites: model.suites.map((s) => ({ name: s.name, status: s.status })),
  };
}

/** Appends the run's entry as one line of `<reportDir>/history.jsonl` (one write, so lines never interleave). */
export async function appendHistory(reportDir: string, events: readonly RunEvent[]): Promise<void> {
  await mkdir(reportDir, { recursive: true });
  await appendFile(historyFile(reportDir), `${JSON.stringify(historyEntry(buildModel(events)))}\n`);
}

/** Every readable entry, oldest first; a missing file is an empty history and bad lines are skipped. */
export async function readHistory(reportDir: string): Promise<HistoryEntry[]> {
  let text: string;
  try {
    text = await readFile(historyFile(reportDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries = text.split('\n').flatMap((line) => {
    const entry = parseEntry(line);
    return entry ? [entry] : [];
  });
  // A stable sort keeps file order for equal times; runs from two machines may append out of order.
  return entries.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

function parseEntry(line: string): HistoryEntry | undefined {
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return isEntry(value) ? value : undefined;
}

function isEntry(value: unknown): value is HistoryEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.runId === 'string' &&
    typeof v.startedAt === 'string' &&
    (v.status === 'passed' || v.status === 'failed') &&
    typeof v.durationMs === 'number' &&
    Array.isArray(v.suites) &&
    v.suites.every(isSuiteStatus)
  );
}

function isSuiteStatus(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { name, status } = value as Record<string, unknown>;
  return typeof name === 'string' && (status === 'passed' || status === 'failed' || status === 'skipped');
}
