// The config file: `--config FILE`, or `mip-verify.config.{json,yaml,yml}` in the working directory.
// Keys are the camelCase flag names plus `timeouts`; an unknown key is an error, never ignored.
import { access, readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors.ts';
import { DEFAULTS } from './defaults.ts';
import { FILE_KEYS, type RawSettings } from './settings.ts';

/** File names looked for in the working directory when `--config` is not given. */
export const DEFAULT_CONFIG_FILES = ['mip-verify.config.json', 'mip-verify.config.yaml', 'mip-verify.config.yml'];

/** A config file, read and checked for unknown keys (values are checked when resolved). */
export interface ConfigFile {
  /** Absolute path of the file. */
  readonly path: string;
  /** The settings it gives. */
  readonly values: Readonly<RawSettings>;
  /** Its `timeouts` mapping, operation kind → duration text. */
  readonly timeouts: Readonly<Record<string, unknown>>;
}

const TIMEOUT_KEYS = Object.keys(DEFAULTS.timeouts);

/** Reads the config file named by `explicit`, else the default one in `cwd` if present, else none. */
export async function loadConfigFile(explicit: string | undefined, cwd: string): Promise<ConfigFile | undefined> {
  const path = explicit === undefined ? await findDefaultFile(cwd) : resolve(cwd, explicit);
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`Cannot read config file '${path}' (${code}): check the path given to --config.`);
  }
  return checkKeys(path, parseConfigText(text, path));
}

/** Parses JSON (for `.json`) or YAML text into a mapping; a syntax error names the file and line. */
export function parseConfigText(text: string, path: string): Record<string, unknown> {
  const data = extname(path) === '.json' ? parseJson(text, path) : parseYaml(text, path);
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(
      `Config file '${path}' must hold a mapping of settings (like 'suite: smoke'), not a ${Array.isArray(data) ? 'list' : typeof data}.`,
    );
  }
  return data as Record<string, unknown>;
}

async function findDefaultFile(cwd: string): Promise<string | undefined> {
  for (const name of DEFAULT_CONFIG_FILES) {
    const path = resolve(cwd, name);
    try {
      await access(path);
      return path;
    } catch {
      // not there: try the next name
    }
  }
  return undefined;
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    // Node 20's JSON errors give a position only for some mistakes; YAML (a superset of JSON)
    // locates the others.
    const line = position ? lineAt(text, Number(position[1])) : parseDocument(text, { schema: 'json' }).errors[0]?.linePos?.[0].line;
    const reason = message
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/( in JSON)? at position \d+.*$/s, '')
      .trim();
    throw syntaxError(path, line, reason);
  }
}

function parseYaml(text: string, path: string): unknown {
  const document = parseDocument(text);
  const first = document.errors[0];
  if (first) {
    const reason = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? first.code;
    throw syntaxError(path, first.linePos?.[0].line, reason);
  }
  return document.toJS() as unknown;
}

function syntaxError(path: string, line: number | undefined, reason: string): ConfigError {
  const where = line === undefined ? '' : ` at line ${line}`;
  return new ConfigError(
    `Cannot parse config file '${path}'${where}: ${reason.replace(/\.$/, '')}. Fix the file or pass another with --config.`,
  );
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function lineAt(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}

function checkKeys(path: string, data: Record<string, unknown>): ConfigFile {
  const name = basename(path);
  for (const key of Object.keys(data)) {
    if (!FILE_KEYS.includes(key)) {
      throw new ConfigError(`Unknown key '${key}' in config file '${name}'. Valid keys: ${FILE_KEYS.join(', ')}.`);
    }
  }
  const { timeouts = {}, ...values } = data;
  if (!isMapping(timeouts)) {
    throw new ConfigError(`'timeouts' in config file '${name}' must be a mapping such as {ready: 3m}.`);
  }
  for (const key of Object.keys(timeouts)) {
    if (!TIMEOUT_KEYS.includes(key)) {
      throw new ConfigError(`Unknown key 'timeouts.${key}' in config file '${name}'. Valid keys: ${TIMEOUT_KEYS.join(', ')}.`);
    }
  }
  return { path, values, timeouts };
}
