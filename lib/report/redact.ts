// Keeps secrets out of every output: values the run knows are secret (Secret data, kubeconfig credentials)
// and text shaped like a credential (URL userinfo, Authorization headers, PEM blocks, `password: …`,
// `token: …`) are masked inside any string of an event, a line or an artifact before it is written.

/** What a secret is replaced with. */
export const MASK = '***';

/** Shorter values are not masked: masking `db` or `1` would shred ordinary words and numbers. */
export const MIN_SECRET_LENGTH = 4;

/** Replaces secrets in the strings of a JSON-like value (objects, arrays, strings). */
export type Redactor = <T>(value: T) => T;

/** Credential shapes masked in any text, whether or not the run knows the value. */
const PATTERNS: readonly [RegExp, string][] = [
  // -----BEGIN RSA PRIVATE KEY----- … -----END RSA PRIVATE KEY----- (also a block cut short at the end of the text)
  [/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(?:-----END \1-----|$)/g, `-----BEGIN $1-----${MASK}-----END $1-----`],
  // scheme://user:password@host → scheme://***@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"]+@/gi, `$1${MASK}@`],
  // Authorization: Bearer abc, "authorization":"Basic abc"
  [/\b(authorization["']?\s*[:=]\s*["']?)((?:bearer|basic|token)\s+)?(?!\*\*\*)[^\s"',;]+/gi, `$1$2${MASK}`],
  // Bearer abc… anywhere else
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, `$1${MASK}`],
  // password: x, token=x, "client-key-data": "x", --password=x, api_key: x
  [
    /((?:^|[\s{,"'-])[\w.-]*(?:password|passwd|token|secret|api[_-]?key|access[_-]?key|client-key-data|private[_-]?key)["']?[ \t]*[:=][ \t]*["']?)(?!\*\*\*)[^\s"',}]+/gim,
    `$1${MASK}`,
  ],
];

/** Masks the credential shapes of PATTERNS in a text. */
export function maskCredentials(text: string): string {
  return PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/** The secrets one run knows; values added later are masked from then on. */
export interface SecretStore {
  /** Adds secret values (short and empty ones are ignored). */
  add(values: Iterable<string>): void;
  /** Masks known secrets and credential shapes in every string of a JSON-like value. */
  readonly redact: Redactor;
  /** Masks known secrets and credential shapes in one text. */
  text(value: string): string;
}

/** A store seeded with these secrets. */
export function createSecretStore(initial: Iterable<string> = []): SecretStore {
  let known: string[] = [];
  const add = (values: Iterable<string>): void => {
    // Longest first, so a secret that contains another is masked whole rather than leaving a tail.
    known = [...new Set([...known, ...[...values].filter((s) => s.length >= MIN_SECRET_LENGTH)])].sort((a, b) => b.length - a.length);
  };
  add(initial);
  const text = (value: string): string => maskCredentials(known.reduce((out, secret) => out.split(secret).join(MASK), value));
  const redact = <T>(value: T): T => redactValue(value, text) as T;
  return { add, redact, text };
}

/** A redactor for these secrets (and the credential shapes). */
export function createRedactor(secrets: readonly string[]): Redactor {
  return createSecretStore(secrets).redact;
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
