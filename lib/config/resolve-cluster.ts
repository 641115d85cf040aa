// The cluster part of the configuration: which provider, and the settings that belong to it.
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { DEFAULTS, defaultSharedDir } from './defaults.ts';
import { asChoice, asCount, asPort, asString, asStringList, asUrl } from './parse.ts';
import { flagName, type SettingKey } from './settings.ts';
import { asPath, mustExist, takeFirst, type Readable, type Reader, type Source } from './sources.ts';
import { CLUSTER_PROVIDERS, type ClusterConfig } from './types.ts';

/** Settings of the cluster providers that do not apply to the others. */
const PROVIDER_KEYS: Readonly<Record<ClusterConfig['provider'], readonly SettingKey[]>> = {
  kind: ['name', 'nodeImage', 'httpPort', 'workers', 'sharedDir'],
  existing: ['kubeconfig', 'context', 'ingressUrl'],
  microk8s: ['microk8sHost', 'kubeconfig'],
};

/** The cluster configuration from the sources (flags first). */
export function resolveCluster(sources: readonly Source[], env: NodeJS.ProcessEnv, readable: Readable): ClusterConfig {
  const take = <T>(key: SettingKey, read: Reader<T>): T | undefined => takeFirst(sources, key, read);
  const provider = take('cluster', (raw, origin) => asChoice(raw, origin, CLUSTER_PROVIDERS, 'cluster provider')) ?? DEFAULTS.cluster;
  rejectForeignFlags(sources[0], provider);
  const kubeconfig = (): string | undefined =>
    take('kubeconfig', (raw, origin, base) => mustExist(asPath(raw, origin, base), origin, readable, 'kubeconfig'));
  switch (provider) {
    case 'kind': {
      const name = take('name', asClusterName) ?? DEFAULTS.name;
      return {
        provider,
        name,
        nodeImage: take('nodeImage', asString),
        httpPort: take('httpPort', (raw, origin) => asPort(raw, origin, 65534, ' (HTTPS takes the next one)')) ?? DEFAULTS.httpPort,
        sharedDir: take('sharedDir', asPath) ?? defaultSharedDir(env, name),
        workers: take('workers', (raw, origin) => asCount(raw, origin, 1, 10)) ?? DEFAULTS.workers,
      };
    }
    case 'existing':
      return {
        provider,
        kubeconfig: kubeconfig() ?? fallbackKubeconfig(env, readable),
        context: take('context', asString),
        ingressUrl: take('ingressUrl', asUrl),
      };
    case 'microk8s':
      return { provider, hosts: take('microk8sHost', asStringList) ?? [], kubeconfig: kubeconfig() };
  }
}

/** A flag typed for another provider is a mistake worth stopping for; the file may hold settings for several. */
function rejectForeignFlags(flags: Source | undefined, provider: ClusterConfig['provider']): void {
  for (const key of Object.keys(flags?.values ?? {}) as SettingKey[]) {
    const owners = CLUSTER_PROVIDERS.filter((name) => PROVIDER_KEYS[name].includes(key));
    if (owners.length > 0 && !owners.includes(provider) && flags?.values[key] !== undefined) {
      const use = owners.map((name) => `--cluster ${name}`).join(' or ');
      throw new ConfigError(
        `${flagName(key)} does not apply to ${provider === 'existing' ? 'an' : 'a'} ${provider} cluster (it is for ${use}): remove it, or pass ${use}.`,
      );
    }
  }
}

/** Like kubectl: `$KUBECONFIG` (its first file), else `~/.kube/config` when it exists. */
function fallbackKubeconfig(env: NodeJS.ProcessEnv, readable: Readable): string {
  const first = env.KUBECONFIG?.split(delimiter).find((part) => part !== '');
  if (first) return mustExist(resolve(first), 'KUBECONFIG', readable, 'kubeconfig');
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  if (readable(home)) return home;
  throw new ConfigError('--cluster existing needs a kubeconfig: pass --kubeconfig PATH (or set MIP_VERIFY_KUBECONFIG or KUBECONFIG).');
}

function asClusterName(raw: unknown, origin: string): string {
  const name = asString(raw, origin);
  if (!/^[a-z0-9]([a-z0-9.-]{0,48}[a-z0-9])?$/.test(name)) {
    throw new ConfigError(`Invalid value '${name}' for ${origin}: a kind cluster name uses lower-case letters, digits, '-' and '.'.`);
  }
  return name;
}
