// Picks the cluster provider for a run's configuration, and gathers what providers depend on
// (tools, the Kubernetes client, the cache, budgets) so tests can replace each piece.
import type { ClusterConfig } from '../config/types.ts';
import { connect } from '../k8s/client.ts';
import { cacheDir } from '../paths.ts';
import { createTools } from './command-runner.ts';
import { createExistingProvider } from './existing.ts';
import { createKindProvider } from './kind.ts';
import { createMicrok8sProvider } from './microk8s.ts';
import type { ClusterProvider, ProviderContext, ProviderDeps } from './types.ts';

const defaultProvisionMs = 10 * 60_000;
const defaultChaosMs = 5 * 60_000;

/** Fills in the defaults of ProviderDeps. */
export function providerContext(deps: ProviderDeps = {}): ProviderContext {
  // The CLI passes its environment down; the process's own is only the fallback for direct callers.
  const env = deps.env ?? process.env;
  return {
    tools: createTools(env, deps.runTool),
    connect: deps.connect ?? connect,
    cacheDir: cacheDir(env),
    provisionMs: deps.timeouts?.provision ?? defaultProvisionMs,
    chaosMs: deps.timeouts?.chaos ?? defaultChaosMs,
    defaultNodeImage: deps.defaultNodeImage,
    afterCreate: deps.afterCreate,
  };
}

/** The provider for a cluster configuration. */
export function createProvider(config: ClusterConfig, deps?: ProviderDeps): ClusterProvider {
  const context = providerContext(deps);
  switch (config.provider) {
    case 'kind':
      return createKindProvider(config, context);
    case 'existing':
      return createExistingProvider(config, context);
    case 'microk8s':
      return createMicrok8sProvider(config, context);
    default:
      return assertNever(config);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown cluster provider: ${JSON.stringify(value)}`);
}
