// Where settings come from (flags, MIP_VERIFY_* variables, the config file), in precedence order,
// and how one setting is taken from the first source that gives it.
import { accessSync, constants, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import type { ConfigFile } from './file.ts';
import { asString } from './parse.ts';
import { envName, flagName, settingsFromEnv, type RawSettings, type SettingKey } from './settings.ts';

/** One place settings come from, in precedence order. */
export interface Source {
  /** The raw values this source gives. */
  readonly values: RawSettings;
  /** How a key of this source is named in messages (`--trials`, `MIP_VERIFY_TRIALS`, `'trials' in x.yaml`). */
  readonly origin: (key: SettingKey) => string;
  /** Directory relative paths of this source are resolved against. */
  readonly base: string;
}

/** Reads (and checks) one raw value; `origin` names it in messages, `base` anchors relative paths. */
export type Reader<T> = (raw: unknown, origin: string, base: string) => T;

/** Whether a path exists and can be read. */
export type Readable = (path: string) => boolean;

/** The value of `key` from the first source that gives it, read (and checked) by `read`. */
export function takeFirst<T>(sources: readonly Source[], key: SettingKey, read: Reader<T>): T | undefined {
  for (const source of sources) {
    const raw = source.values[key];
    if (raw !== undefined) return read(raw, source.origin(key), source.base);
  }
  return undefined;
}

/** Flags first, then the environment, then the file (whose relative paths start at its own folder). */
export function buildSources(flags: RawSettings, env: NodeJS.ProcessEnv, file: ConfigFile | undefined, cwd: string): Source[] {
  const sources: Source[] = [
    { values: flags, origin: flagName, base: cwd },
    { values: settingsFromEnv(env), origin: envName, base: cwd },
  ];
  if (file) {
    const name = basename(file.path);
    sources.push({ values: file.values, origin: (key) => `'${key}' in ${name}`, base: dirname(file.path) });
  }
  return sources;
}

/** A path, relative to the directory of the source that gave it. */
export function asPath(raw: unknown, origin: string, base: string): string {
  return resolve(base, asString(raw, origin));
}

/** The path, if it can be read; otherwise a ConfigError naming it and where it came from. */
export function mustExist(path: string, origin: string, readable: Readable, what: string): string {
  // Node reads arguments as UTF-8; bytes that are not become U+FFFD, and the path can no longer be named.
  if (path.includes('\uFFFD')) {
    throw new ConfigError(
      `The ${what} '${path}' (from ${origin}) is not valid UTF-8, so it cannot be opened by that name: rename it, or pass a symlink whose name is UTF-8.`,
    );
  }
  if (!readable(path))
    throw new ConfigError(`The ${what} '${path}' (from ${origin}) does not exist or is not readable: pass the path of a readable ${what}.`);
  return path;
}

/** Asks the file system whether a file or folder exists and can be read. */
export function isReadable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile() || statSync(path).isDirectory();
  } catch {
    return false;
  }
}
