// Keeps secrets out of every report: known secret strings are masked inside any string of an event
// before the event is stored, written or handed to a sink.

/** What a secret is replaced with. */
export const MASK = '***';

/** Shorter values are not masked: masking `db` or `1` would shred ordinary words and numbers. */
export const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of the secrets in the strings of a JSON-like value (objects, arrays, strings). */
export type Redactor = <T>(value: T) => T;

/** A redactor for these secrets; short and empty values are ignored. */
export function createRedactor(secrets: readonly string[]): Redactor {
  // Longest first, so a secret that contains another is masked whole rather than leaving a tail.
  const masked = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  if (masked.length === 0) return <T>(value: T): T => value;
  const maskString = (text: string): string => masked.reduce((out, secret) => out.split(secret).join(MASK), text);
  return <T>(value: T): T => redactValue(value, maskString) as T;
}

function redactValue(value: unknown, maskString: (text: string) => string): unknown {
  if (typeof value === 'string') return maskString(value);
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, maskString));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactValue(item, maskString);
    return out;
  }
  return value;
}
