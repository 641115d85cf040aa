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

/** One Secret's values: each `data` entry as stored and decoded, each `stringData` entry. */
export function secretValues(secret: Pick<V1Secret, 'data' | 'stringData'>): string[] {
  const values: string[] = [];
  for (const value of Object.values(secret.data ?? {})) values.push(value, ...decoded(value));
  values.push(...Object.values(secret.stringData ?? {}));
  return values;
}

function decoded(base64: string): string[] {
  const text = Buffer.from(base64, 'base64').toString('utf8');
  // Also each line of a multi-line secret (a key file, a .env), so a log that prints one line is masked too.
  return [text, ...text.split('\n').map((line) => line.trim())];
}
