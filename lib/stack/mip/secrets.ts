// The Secrets the MIP charts read but never create (`mip-secret`, `keycloak-credentials`, …): made by
// the run in its own namespace, with user names derived from the key and random passwords. Their
// values never leave the cluster: notes name the Secrets and keys only.
import { randomBytes } from 'node:crypto';
import { isConflict, requestOptions, type Kube } from '../../k8s/client.ts';

/** A value for a Secret key: a user name for `*USER*` keys, an id for client ids, else a random password. */
export function secretValue(key: string): string {
  const last = key.split('.').at(-1) ?? key;
  // A key naming a password or secret is one, whatever else it names (`DB_USER_PASSWORD`).
  if (/pass|secret|token/i.test(last)) return randomBytes(18).toString('base64url');
  if (/client[-_]?id/i.test(last)) return 'mip-verify';
  if (/user/i.test(last)) {
    const name = last
      .replace(/_?user$/i, '')
      .replace(/^db_|_db$/i, '')
      .replace(/_db_/i, '_')
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '');
    return name === '' ? 'mip' : name;
  }
  return randomBytes(18).toString('base64url');
}

/** Creates each Secret that does not exist yet; returns one line per Secret created or found. */
export async function createSecrets(
  kube: Pick<Kube, 'core'>,
  namespace: string,
  wanted: ReadonlyMap<string, ReadonlySet<string>>,
  signal: AbortSignal,
): Promise<string[]> {
  const lines: string[] = [];
  for (const [name, keys] of wanted) {
    const stringData = Object.fromEntries([...keys].sort().map((key) => [key, secretValue(key)]));
    const body = { metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'mip-verify' } }, stringData };
    try {
      await kube.core.createNamespacedSecret({ namespace, body }, requestOptions(signal));
      lines.push(`created Secret ${name} (keys ${[...keys].sort().join(', ') || 'none'}), which the charts read but do not create`);
    } catch (error) {
      if (!isConflict(error)) throw error;
      lines.push(`Secret ${name} already exists in ${namespace}: kept as it is`);
    }
  }
  return lines;
}
