// The values a run must never print: the credentials of the kubeconfig it uses and the data of the
// Secrets its stack holds (as stored, base64, and decoded), handed to the run's secret store.
import type { KubeConfig, V1Secret } from '@kubernetes/client-node';
import type { Kube } from './client.ts';

/** Tokens, passwords and private keys of every user in the kubeconfig (base64 as written, and decoded). */
export function kubeconfigSecrets(config: KubeConfig): string[] {
  const values: string[] = [];
  for (const user of config.getUsers()) {
    for (const value of [user.token, user.password, user.keyData]) if (value) values.push(value, ...decoded(value));
  }
  return values;
}

/** The data of every Secret in these namespaces; a namespace that cannot be read is skipped (the values are then unknown). */
export async function stackSecrets(kube: Kube, namespaces: readonly string[]): Promise<string[]> {
  const values: string[] = [];
  for (const namespace of namespaces) {
    const list = await kube.core.listNamespacedSecret({ namespace }).catch(() => undefined);
    for (const secret of list?.items ?? []) values.push(...secretValues(secret));
  }
  return values;
}

/** Keys whose values are credentials whatever they look like. */
const SECRET_KEY = /pass|secret|token|cred|salt|cookie|private[_-]?key|(^|[._-])(api[_-]?|access[_-]?)?(key|auth)($|[._-])/i;
/** Keys whose values name things (users, hosts, namespaces, client ids): masking them would shred the report. */
const NAMING_KEY = /(^|[._-])(namespace|user(name)?|login|host(name)?|port|url|uri|database|db|client[-_]?id|name|email|realm)$/i;
/** Values shorter than this that read as an identifier (`mip-verify`, `postgres`) are names, not secrets. */
const SHORT_IDENTIFIER = 16;

/**
 * One Secret's values to mask: each `data` entry as stored and decoded (and each line of it), each `stringData`
 * entry. Entries that name things are left out: a client id `mip-verify` or a namespace masked everywhere would
 * hide the very names a report is about.
 */
export function secretValues(secret: Pick<V1Secret, 'data' | 'stringData'>): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    if (!isCredential(key, Buffer.from(value, 'base64').toString('utf8'))) continue;
    // A password is masked whatever it looks like; other values only where they do not read as a name.
    values.push(value, ...decoded(value).filter((text) => SECRET_KEY.test(key) || !looksLikeName(text)));
  }
  for (const [key, value] of Object.entries(secret.stringData ?? {})) if (isCredential(key, value)) values.push(value);
  return values;
}

function isCredential(key: string, value: string): boolean {
  // What a key ends with decides first: `KEYCLOAK_AUTH_URL` names a place, `DB_USER_PASSWORD` is a password.
  if (NAMING_KEY.test(key)) return false;
  if (SECRET_KEY.test(key)) return true;
  return !looksLikeName(value);
}

function looksLikeName(text: string): boolean {
  return text.length < SHORT_IDENTIFIER && /^[A-Za-z0-9._-]*$/.test(text);
}

function decoded(base64: string): string[] {
  const text = Buffer.from(base64, 'base64').toString('utf8');
  // Also each line of a multi-line secret (a key file, a .env), so a log that prints one line is masked too.
  return [text, ...text.split('\n').map((line) => line.trim())];
}
