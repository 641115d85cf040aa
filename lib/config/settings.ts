// The names of every setting: its config-file key, its flag and its MIP_VERIFY_* variable.

/** Settings that a flag, a MIP_VERIFY_* variable and a config file can all give. */
export const SETTING_KEYS = [
  'suite',
  'stack',
  'stackSource',
  'image',
  'exaflowChart',
  'webChart',
  'exaflowValues',
  'webValues',
  'data',
  'cluster',
  'kubeconfig',
  'context',
  'ingressUrl',
  'reportDir',
  'history',
  'trials',
  'slo',
  'floor',
  'keep',
  'keepOnFailure',
  'allowDisruption',
  'regressionThreshold',
  'failOnRegression',
  'target',
  'nodeImage',
  'httpPort',
  'name',
  'microk8sHost',
  'workers',
  'sharedDir',
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** Keys a config file may hold: the settings plus the per-operation budgets. */
export const FILE_KEYS: readonly string[] = [...SETTING_KEYS, 'timeouts'];

/** Raw values of one source (flags, environment or file), before validation. */
export type RawSettings = Partial<Record<SettingKey, unknown>>;

/** `stackSource` → `--stack-source`. */
export function flagName(key: SettingKey): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** `stackSource` → `MIP_VERIFY_STACK_SOURCE`. */
export function envName(key: SettingKey): string {
  return `MIP_VERIFY_${flagName(key).slice(2).replace(/-/g, '_').toUpperCase()}`;
}

/** The settings given by MIP_VERIFY_* variables. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): RawSettings {
  const raw: RawSettings = {};
  for (const key of SETTING_KEYS) {
    const value = env[envName(key)];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  return raw;
}
