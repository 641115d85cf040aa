// The one table of defaults: every setting a flag, MIP_VERIFY_* variable or config file leaves unset.
import { join } from 'node:path';
import { cacheDir } from '../paths.ts';
import type { ClusterProviderName, KeepPolicy, StackName, SuiteName, Timeouts } from './types.ts';
import { SUITE_NAMES } from './types.ts';

const MINUTE = 60_000;

/** Defaults of the settings that have one. */
export interface Defaults {
  /** Suites run when none are named: all of them. */
  readonly suites: readonly SuiteName[];
  /** Stack deployed when none is named. */
  readonly stack: StackName;
  /** Cluster provider: a disposable kind cluster. */
  readonly cluster: ClusterProviderName;
  /** Name of the kind cluster (context `kind-<name>`). */
  readonly name: string;
  /** Host port the kind ingress answers on. */
  readonly httpPort: number;
  /** Worker nodes of the kind cluster. */
  readonly workers: number;
  /** Where reports go, relative to the working directory. */
  readonly reportDir: string;
  /** Trials per recovery scenario. */
  readonly trials: number;
  /** Recovery service-level objective, ms (the 5-minute claim). */
  readonly sloMs: number;
  /** Recovery floor of the claim, ms (the 1-minute end). */
  readonly floorMs: number;
  /** Whether to keep the disposable cluster. */
  readonly keep: KeepPolicy;
  /** Budgets per kind of operation, ms. */
  readonly timeouts: Readonly<Timeouts>;
}

export const DEFAULTS: Defaults = Object.freeze({
  suites: SUITE_NAMES,
  stack: 'openms',
  cluster: 'kind',
  name: 'mip-verify',
  httpPort: 18080,
  workers: 2,
  reportDir: './reports',
  trials: 3,
  sloMs: 5 * MINUTE,
  floorMs: 1 * MINUTE,
  keep: 'never',
  timeouts: Object.freeze({
    provision: 10 * MINUTE,
    deploy: 5 * MINUTE,
    ready: 5 * MINUTE,
    workflow: 5 * MINUTE,
    chaos: 10 * MINUTE,
    load: 5 * MINUTE,
    cleanup: 2 * MINUTE,
  }),
} satisfies Defaults);

/** Host directory shared by the nodes of the kind cluster `name`: kept in the cache, one per cluster. */
export function defaultSharedDir(env: NodeJS.ProcessEnv, name: string): string {
  return join(cacheDir(env), 'shared', name);
}

/** The command that removes a kept kind cluster of this name (the name is spelled out unless it is the default). */
export function clusterDownCommand(name: string): string {
  return name === DEFAULTS.name ? 'npx mip-verify cluster down' : `npx mip-verify cluster down --name ${name}`;
}
