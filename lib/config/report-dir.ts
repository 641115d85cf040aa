// Whether runs can be written under a report directory, decided before anything is created: the nearest
// existing folder must be a writable directory on a real file system, and the run's paths must fit.
import { accessSync, constants, statfsSync, statSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { ConfigError } from '../errors.ts';

/** Longest path the run writes under its folder (`<runId>/artifacts/<namespace>/<pod>.<container>.log`), generously. */
const RUN_PATH_ALLOWANCE = 400;
/** Linux's PATH_MAX and NAME_MAX. */
const PATH_MAX = 4096;
const NAME_MAX = 255;

/** statfs magic numbers of kernel file systems where no report can live (mkdir there loops or lies). */
const PSEUDO_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x63677270, 'cgroup2'],
  [0x27e0eb, 'cgroup'],
  [0x64626720, 'debugfs'],
  [0x73636673, 'securityfs'],
  [0x74726163, 'tracefs'],
]);

/** Throws a ConfigError naming the directory and `origin` when runs cannot be written under it. */
export function checkReportDir(path: string, origin: string, what = 'report directory'): void {
  const refuse = (why: string, hint = 'Choose a writable directory for reports.'): never => {
    throw new ConfigError(`The ${what} '${path}' (from ${origin}) ${why}. ${hint}`);
  };
  if (Buffer.byteLength(path) + RUN_PATH_ALLOWANCE > PATH_MAX)
    refuse(`is too long for the files a run writes there (${Buffer.byteLength(path)} bytes)`);
  const long = path.split(sep).find((name) => Buffer.byteLength(name) > NAME_MAX);
  if (long !== undefined) refuse(`has a name longer than ${NAME_MAX} bytes ('${long.slice(0, 24)}…')`);
  const existing = nearestExisting(path);
  if (!existing.isDirectory)
    refuse(existing.path === path ? 'is not a directory' : `cannot be created: '${existing.path}' is not a directory`);
  const pseudo = pseudoFileSystem(existing.path);
  if (pseudo !== undefined) refuse(`is on the kernel's ${pseudo} file system, where no file can be written`);
  try {
    accessSync(existing.path, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'not writable';
    refuse(existing.path === path ? `is not writable (${code})` : `cannot be created: '${existing.path}' is not writable (${code})`);
  }
}

/** Throws a ConfigError naming the file and `origin` when the history cannot be read and appended to. */
export function checkHistoryFile(path: string, origin: string): void {
  let info;
  try {
    info = statSync(path);
  } catch {
    // Not there yet: the run creates it, so its folder must take it.
    checkReportDir(dirname(path), origin, 'folder of the history file');
    return;
  }
  const refuse = (why: string): never => {
    throw new ConfigError(`The history file '${path}' (from ${origin}) ${why}. Pass --history with a file the run may read and append to.`);
  };
  if (!info.isFile()) refuse('is not a file');
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch (error) {
    refuse(`cannot be read and written (${(error as NodeJS.ErrnoException).code ?? 'no access'})`);
  }
}

function nearestExisting(path: string): { path: string; isDirectory: boolean } {
  for (let current = path; ; current = dirname(current)) {
    try {
      return { path: current, isDirectory: statSync(current).isDirectory() };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a file stands where a folder of the path should be; the walk up finds it.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(current) === current) return { path: current, isDirectory: false };
    }
  }
}

function pseudoFileSystem(path: string): string | undefined {
  try {
    return PSEUDO_FILE_SYSTEMS.get(statfsSync(path).type);
  } catch {
    return undefined;
  }
}
