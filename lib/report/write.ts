// Writes a run's report.json, junit.xml and index.html from its events, live at the end of a run or
// offline from events.jsonl (`mip-verify report <run-dir>`). The run model is built once for all three.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../errors.ts';
import { parseRunEvent } from './event-schema.ts';
import type { RunEvent } from './events.ts';
import { readHistory } from './history.ts';
import { createSecretStore } from './redact.ts';
import { regressionsOf } from './regressions.ts';
import { buildModel } from './model-fold.ts';
import { htmlFromModel } from './render/html.ts';
import { junitFromModel } from './render/junit.ts';
import { reportFromModel } from './render/json.ts';

/** The file names a run directory holds. */
export const REPORT_FILES = { events: 'events.jsonl', json: 'report.json', junit: 'junit.xml', html: 'index.html' } as const;

/** Writes report.json, junit.xml and index.html into runDir; the trend uses the history file (default `<runDir>/../history.jsonl`) when present. */
export async function writeReports(
  runDir: string,
  events: readonly RunEvent[],
  historyFile = join(dirname(runDir), 'history.jsonl'),
): Promise<void> {
  const model = buildModel(events);
  const history = await readHistory(historyFile);
  const regressions = regressionsOf(model, history);
  await writeAtomic(
    join(runDir, REPORT_FILES.json),
    `${JSON.stringify(reportFromModel(model, history.length > 0 ? { regressions } : {}), null, 2)}\n`,
  );
  await writeAtomic(join(runDir, REPORT_FILES.junit), junitFromModel(model, { regressions }));
  await writeAtomic(join(runDir, REPORT_FILES.html), htmlFromModel(model, history.length > 0 ? { history, regressions } : {}));
}

/** Rebuilds the three reports of a run directory from its events.jsonl. */
export async function rebuildReports(runDir: string): Promise<void> {
  // Events written by an older version, or edited by hand, are masked again: credential shapes never reach a report.
  await writeReports(runDir, createSecretStore().redact(await readEvents(join(runDir, REPORT_FILES.events))));
}

/** The events of an events.jsonl file; ConfigError naming the file (and line) when it is missing or broken. */
export async function readEvents(file: string): Promise<RunEvent[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'unknown error'})`;
    throw new ConfigError(`${file} ${problem}: pass a run directory that holds the events.jsonl of a run.`);
  }
  const events: RunEvent[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const problem = eventProblem(line, (event) => events.push(event));
    if (problem !== undefined) {
      throw new ConfigError(
        `Line ${index + 1} of ${file} is not a valid run event: ${problem}.`,
        'Fix or delete that line, then run `mip-verify report` again.',
      );
    }
  });
  if (events.length === 0) throw new ConfigError(`${file} holds no run event: pass a run directory that holds the events.jsonl of a run.`);
  return events;
}

function eventProblem(line: string, keep: (event: RunEvent) => void): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'it is not JSON';
  }
  const parsed = parseRunEvent(value);
  if ('problem' in parsed) return parsed.problem;
  keep(parsed.event);
  return undefined;
}

/** Writes via a temporary file and rename, so a reader (or a crash) never sees half a report. */
async function writeAtomic(file: string, content: string): Promise<void> {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  await writeFile(temporary, content);
  await rename(temporary, file);
}
