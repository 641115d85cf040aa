// The report directory layout: one sortable folder per run, `latest` pointing at the newest, and the
// shared history file (PRODUCT.md §2).
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';

export { appendHistory } from './history.ts';

/** A run id that sorts by start time (UTC), with a random tail so two runs in one second differ: `20261122-134501-a1b2`. */
export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Creates `<reportDir>/<runId>/` with its `artifacts/` folder and returns its absolute path. */
export async function createRunDir(reportDir: string, runId: string): Promise<string> {
  const runDir = resolve(reportDir, runId);
  try {
    await makeDirectories(resolve(reportDir));
    await mkdir(runDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ConfigError(`The run directory ${runDir} already exists; every run needs a new one.`);
    if (typeof code === 'string')
      throw new ConfigError(`Cannot create the run directory ${runDir} (${code}).`, 'Choose a writable --report-dir.');
    throw error;
  }
  await mkdir(join(runDir, 'artifacts'));
  return runDir;
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir loops forever under /proc, where a failed
 * mkdir reports ENOENT for a parent that exists.
 */
async function makeDirectories(path: string): Promise<void> {
  const missing: string[] = [];
  for (let current = path; !(await isDirectory(current)); current = dirname(current)) {
    if (dirname(current) === current) break;
    missing.unshift(current);
  }
  for (const folder of missing) await mkdir(folder);
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (found) => found.isDirectory(),
    () => false,
  );
}

/**
 * Points `<reportDir>/latest` at the run with a relative symlink, so the report directory can be moved
 * or archived whole. The link is made under a temporary name and renamed over the old one: readers
 * never see `latest` missing.
 */
export async function pointLatest(reportDir: string, runId: string): Promise<void> {
  const latest = join(reportDir, 'latest');
  const existing = await lstat(latest).catch(() => undefined);
  if (existing && !existing.isSymbolicLink()) {
    throw new ConfigError(`${resolve(latest)} exists and is not a symlink; move it away so it can point at the newest run.`);
  }
  if (existing && (await readlink(latest)) === runId) return;
  const temporary = join(reportDir, `.latest-${process.pid}-${randomBytes(3).toString('hex')}`);
  await symlink(runId, temporary, 'dir');
  try {
    await rename(temporary, latest);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
