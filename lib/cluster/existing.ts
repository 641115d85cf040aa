// The existing provider: any kubeconfig and context the user names (AKS, EKS, GKE, Kubermatic).
// It only reads: provision checks the API answers, destroy does nothing, and it offers no node faults.
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, HarnessError } from '../errors.ts';
import type { ClusterConfig } from '../config/types.ts';
import type { Kube } from '../k8s/client.ts';
import { retry } from '../wait.ts';
import { listNodeInfo, serverVersion } from './kube-nodes.ts';
import { loadKubeconfig } from './kubeconfig-file.ts';
import type { Cluster, ClusterProvider, OpOptions, ProviderContext } from './types.ts';

type ExistingConfig = Extract<ClusterConfig, { provider: 'existing' }>;

/** The existing provider for one kubeconfig and context. */
export function createExistingProvider(config: ExistingConfig, ctx: ProviderContext): ClusterProvider {
  const kubeconfigPath = resolve(config.kubeconfig);
  const validate = async (): Promise<void> => {
    await resolveContext(kubeconfigPath, config.context);
  };
  const provision = async (options: OpOptions): Promise<Cluster> => {
    const context = await resolveContext(kubeconfigPath, config.context);
    const kube = await ctx.connect(kubeconfigPath, context);
    const version = await answering(kube, context, options.signal);
    const nodes = await listNodeInfo(kube);
    options.progress?.(`context '${context}' answers: Kubernetes ${version}, ${nodes.length} nodes`);
    return existingCluster(config, ctx, { kubeconfigPath, context, kube });
  };
  return {
    name: 'existing',
    validate,
    provision,
    exists: async () => {
      await resolveContext(kubeconfigPath, config.context);
      return true;
    },
    // The run did not create this cluster, so there is nothing of the provider's to remove.
    destroy: async () => {},
  };
}

/**
 * The context to use: the named one, else the kubeconfig's current one.
 * Throws ConfigError naming the file or the context and listing the contexts there are.
 */
export async function resolveContext(kubeconfigPath: string, wanted: string | undefined): Promise<string> {
  const kc = await loadKubeconfig(kubeconfigPath);
  const names = kc.getContexts().map((c) => c.name);
  const available = names.length > 0 ? names.join(', ') : 'none';
  const context = wanted ?? (kc.getCurrentContext() || undefined);
  if (context === undefined) {
    throw new ConfigError(`kubeconfig '${kubeconfigPath}' has no current context (available: ${available})`, 'pass --context NAME');
  }
  if (!names.includes(context)) {
    throw new ConfigError(
      `context '${context}' is not in kubeconfig '${kubeconfigPath}' (available: ${available})`,
      'pass --context with one of the available contexts',
    );
  }
  return context;
}

/** The server version, once the API answers; a HarnessError naming the context when it never does. */
async function answering(kube: Kube, context: string, signal: AbortSignal): Promise<string> {
  try {
    return await retry(() => serverVersion(kube), {
      within: 30_000,
      attempts: 3,
      signal,
      what: `API server of context '${context}' answers`,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HarnessError(
      'provision',
      `the API server of context '${context}' did not answer: ${reason}`,
      'check the network path (VPN, proxy) and the credentials of that context',
      { cause: error },
    );
  }
}

interface Attached {
  kubeconfigPath: string;
  context: string;
  kube: Kube;
}

function existingCluster(config: ExistingConfig, ctx: ProviderContext, at: Attached): Cluster {
  return {
    name: at.context,
    provider: 'existing',
    kubeconfigPath: at.kubeconfigPath,
    context: at.context,
    ingressUrl: config.ingressUrl ?? 'http://127.0.0.1:80',
    disposable: false,
    listNodes: () => listNodeInfo(at.kube),
    serverVersion: () => serverVersion(at.kube),
    // There are no provider logs; the nodes' description is the evidence the provider can add.
    exportLogs: async (dir, { signal }) => {
      const args = ['--kubeconfig', at.kubeconfigPath, '--context', at.context, 'describe', 'nodes'];
      const result = await ctx.tools.runTool('kubectl', args, { signal, env: ctx.tools.env });
      await writeFile(join(dir, 'nodes.txt'), result.stdout);
    },
  };
}
