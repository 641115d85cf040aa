// Readers for setting values from flags, MIP_VERIFY_* variables and config files; each bad value
// becomes one ConfigError naming the value, where it came from, and what to write instead.
import { ConfigError } from '../errors.ts';
import { parseDuration as parseDurationMs } from '../wait.ts';

/**
 * Milliseconds of a duration such as `5m`, `90s`, `1m30s`, `850ms` or `1h`; undefined if it is not one.
 * Settings take whole numbers of a unit; the grammar itself is lib/wait's.
 */
export function parseDuration(text: string): number | undefined {
  if (text.includes('.')) return undefined;
  try {
    return parseDurationMs(text);
  } catch {
    return undefined;
  }
}

/** The value as the user wrote it, for messages. */
export function show(raw: unknown): string {
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

function invalid(raw: unknown, origin: string, advice: string): ConfigError {
  return new ConfigError(`Invalid value '${show(raw)}' for ${origin}: ${advice}.`);
}

/** A non-empty string. */
export function asString(raw: unknown, origin: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw invalid(raw, origin, 'give a non-empty text');
  return raw.trim();
}

/** A list of strings: an array, or one comma-separated string. */
export function asStringList(raw: unknown, origin: string): string[] {
  const parts = typeof raw === 'string' ? raw.split(',') : raw;
  if (!Array.isArray(parts) || !parts.every((part) => typeof part === 'string')) {
    throw invalid(raw, origin, 'give a list of texts');
  }
  return parts.map((part: string) => part.trim()).filter((part) => part !== '');
}

/** A boolean: true/false, or from the environment 1/0, yes/no. */
export function asBoolean(raw: unknown, origin: string): boolean {
  if (typeof raw === 'boolean') return raw;
  const word = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (['true', '1', 'yes'].includes(word)) return true;
  if (['false', '0', 'no', ''].includes(word)) return false;
  throw invalid(raw, origin, 'use true or false');
}

/** A percentage above 0 and at most 1000, written `25` or `25%`. */
export function asPercent(raw: unknown, origin: string): number {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim().replace(/%$/, '') : '';
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || value <= 0 || value > 1000)
    throw invalid(raw, origin, 'use a percentage such as 25% (above 0, at most 1000%)');
  return value;
}

/** A whole number of at least `min`. */
export function asCount(raw: unknown, origin: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const value = Number(text);
  const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
  if (!/^-?\d+$/.test(text) || value < min || value > max) throw invalid(raw, origin, `use a whole number ${range}`);
  return value;
}

/** A TCP port. */
export function asPort(raw: unknown, origin: string, max = 65535, why = ''): number {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) {
    throw invalid(raw, origin, `use a port number from 1 to ${max}${why}`);
  }
  return value;
}

/** A positive duration in milliseconds. */
export function asDuration(raw: unknown, origin: string, maxMs = 24 * 3_600_000): number {
  const ms = typeof raw === 'string' ? parseDuration(raw) : undefined;
  if (ms === undefined || ms <= 0) throw invalid(raw, origin, 'use a duration such as 5m, 90s or 1m30s');
  if (ms > maxMs) throw invalid(raw, origin, `use a duration of at most ${formatLimit(maxMs)}`);
  return ms;
}

function formatLimit(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`;
}

/** One of a fixed set of words. */
export function asChoice<T extends string>(raw: unknown, origin: string, choices: readonly T[], noun: string): T {
  const word = typeof raw === 'string' ? raw.trim() : raw;
  const found = choices.find((choice) => choice === word);
  if (found === undefined) {
    throw new ConfigError(`Unknown ${noun} '${show(raw)}' (${origin}). Valid values: ${choices.join(', ')}.`);
  }
  return found;
}

/** Image overrides: `name=ref` texts (a list or comma-separated), or a mapping name → ref. */
export function asImages(raw: unknown, origin: string): Record<string, string> {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    return Object.fromEntries(Object.entries(raw).map(([name, ref]) => [name, asString(ref, `${origin} (image '${name}')`)]));
  }
  const images: Record<string, string> = {};
  for (const pair of asStringList(raw, origin)) {
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim();
    const ref = pair.slice(at + 1).trim();
    if (at < 0 || name === '' || ref === '') {
      throw invalid(pair, origin, 'write name=ref, e.g. streamlit=registry.local/streamlit:1.0');
    }
    images[name] = ref;
  }
  return images;
}

/** An http(s) URL, without a trailing slash. */
export function asUrl(raw: unknown, origin: string): string {
  const text = asString(raw, origin);
  if (!/^https?:\/\/[^/\s]+/.test(text) || !URL.canParse(text)) {
    throw invalid(raw, origin, 'use a URL such as http://203.0.113.10 or https://mip.example.org');
  }
  return text.replace(/\/+$/, '');
}
