// `mip-verify report <run-dir>`: rebuilds report.json, junit.xml and index.html from events.jsonl.
import { join, resolve } from 'node:path';
import { writeLine, type CliIO } from '../io.ts';

/** Rebuilds the reports of one run folder and prints their paths. */
export async function reportCommand(runDir: string, io: CliIO): Promise<number> {
  const dir = resolve(io.cwd, runDir);
  // Loaded on demand: the renderers are not needed by any other command.
  const { rebuildReports } = await import('../../report/write.ts');
  await rebuildReports(dir);
  for (const file of ['report.json', 'junit.xml', 'index.html']) writeLine(io.stdout, join(dir, file));
  return 0;
}
