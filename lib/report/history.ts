// The history file (reports/history.jsonl, or the file --history names, such as a CI cache): one line per run,
// so the HTML report can show a trend across nightly runs.
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RunEvent, Status } from './events.ts';
import { runFigures, type Figures } from './figures.ts';
import { buildModel } from './model-fold.ts';
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
  /** The run's comparable figures, ms (suite durations, recovery percentiles, measured times). */
  figures?: Figures;
}

/** Lines a history keeps: a year of nightly runs; older ones are dropped when a run appends. */
export const MAX_HISTORY = 365;

/** The history entry of a run. */
export function historyEntry(model: RunModel): HistoryEntry {
  return {
    runId: model.runId,
    startedAt: model.startedAt,
    status: model.status,
    durationMs: model.durationMs,
    suites: model.suites.map((s) => ({ name: s.name, status: s.status })),
    figures: runFigures(model),
  };
}

/**
 * Appends the run's entry as one line of the history file (one write, so lines never interleave), then
 * keeps only the newest `max` lines, rewritten under a temporary name and renamed over the file.
 */
export async function appendHistory(file: string, events: readonly RunEvent[], max = MAX_HISTORY): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(historyEntry(buildModel(events)))}\n`);
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  if (lines.length <= max) return;
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  await writeFile(temporary, `${lines.slice(-max).join('\n')}\n`);
  await rename(temporary, file);
}

/** Every readable entry of a history file, oldest first; a missing file is an empty history and bad lines are skipped. */
export async function readHistory(file: string): Promise<HistoryEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
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
    v.suites.every(isSuiteStatus) &&
    (v.figures === undefined || isFigures(v.figures))
  );
}

function isFigures(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((n) => typeof n === 'number' && Number.isFinite(n))
  );
}

function isSuiteStatus(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { name, status } = value as Record<string, unknown>;
  return typeof name === 'string' && (status === 'passed' || status === 'failed' || status === 'skipped');
}
