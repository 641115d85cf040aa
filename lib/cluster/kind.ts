// The kind provider: a disposable cluster of docker containers on this machine. provision creates
// the cluster when absent and reuses it when present (so `cluster up` followed by `run`, or a kept
// cluster, needs no second creation); the kubeconfig lives in the cache, never in ~/.kube/config.
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, HarnessError } from '../errors.ts';
import type { ToolResult } from '../exec.ts';
import type { Kube } from '../k8s/client.ts';
import { nodesReady } from '../k8s/conditions.ts';
import { waitFor } from '../wait.ts';
import type { ClusterConfig } from '../config/types.ts';
import { checkKindOptions, controlPlaneLabels, renderKindConfig, workerLabels } from './kind-config.ts';
import { kindNodeFaults, kindNodeNames } from './kind-faults.ts';
import { kindImageLoader, kindNodeFiles } from './kind-images.ts';
import { exportKindLogs } from './kind-logs.ts';
import { isControlPlane, labelNodes, listNodeInfo, serverVersion } from './kube-nodes.ts';
import type { Cluster, ClusterProvider, OpOptions, ProviderContext } from './types.ts';

type KindConfig = Extract<ClusterConfig, { provider: 'kind' }>;

/** The kind provider for one configuration. */
export function createKindProvider(config: KindConfig, ctx: ProviderContext): ClusterProvider {
  return new KindProvider(config, ctx);
}

class KindProvider implements ClusterProvider {
  readonly name = 'kind';
  private readonly kubeconfigPath: string;

  constructor(
    private readonly config: KindConfig,
    private readonly ctx: ProviderContext,
  ) {
    this.kubeconfigPath = join(ctx.cacheDir, `kubeconfig-${config.name}`);
  }

  async validate(): Promise<void> {
    checkKindOptions(this.config);
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(this.config.name)) {
      throw new ConfigError(`kind cluster name '${this.config.name}' must be lowercase letters, digits, '-' or '.'`);
    }
    await prerequisite(this.ctx, 'kind', ['version'], 'install kind, or run `mip-verify image build` which provides it');
    await prerequisite(this.ctx, 'docker', ['info', '--format', '{{.ServerVersion}}'], 'start the docker daemon and check you may use it');
  }

  async exists({ signal }: OpOptions): Promise<boolean> {
    const result = await this.kind(['get', 'clusters'], signal);
    return result.stdout.split('\n').some((line) => line.trim() === this.config.name);
  }

  async provision(options: OpOptions): Promise<Cluster> {
    const { config, ctx } = this;
    await this.validate();
    const started = performance.now();
    await mkdir(resolve(config.sharedDir), { recursive: true });
    await mkdir(ctx.cacheDir, { recursive: true });
    const reused = await this.exists(options);
    await (reused ? this.reuse(options) : this.create(options));
    const kube = await ctx.connect(this.kubeconfigPath, `kind-${config.name}`);
    await waitFor(nodesReady(kube, config.workers + 1), {
      within: Math.max(1_000, ctx.provisionMs - (performance.now() - started)),
      signal: options.signal,
      onAttempt: (_attempt, observed) => options.progress?.(`waiting for nodes: ${observed}`),
    });
    await labelNodes(kube, (node) => (isControlPlane(node) ? controlPlaneLabels : workerLabels));
    const cluster = kindCluster(config, ctx, this.kubeconfigPath, kube);
    await ctx.afterCreate?.(cluster, { ...options, reused });
    return cluster;
  }

  async destroy(options: OpOptions): Promise<void> {
    if (await this.exists(options)) {
      options.progress?.(`deleting kind cluster '${this.config.name}'`);
      // --kubeconfig keeps kind from editing the user's default kubeconfig.
      await this.kind(['delete', 'cluster', '--name', this.config.name, '--kubeconfig', this.kubeconfigPath], options.signal);
    }
    await this.removeLeftoverNodes(options.signal);
    await this.removeNetworkIfUnused(options.signal);
    await rm(this.kubeconfigPath, { force: true });
  }

  private docker(args: string[], signal: AbortSignal): Promise<string> {
    return this.ctx.tools.runTool('docker', args, { signal, env: this.ctx.tools.env }).then(
      (r) => r.stdout.trim(),
      () => '',
    );
  }

  /**
   * An interrupted `kind create` can leave node containers behind: dockerd finishes creating a
   * container even after the `docker run` that asked for it was killed. Remove them until none
   * has appeared for three checks in a row.
   */
  private async removeLeftoverNodes(signal: AbortSignal): Promise<void> {
    let quiet = 0;
    const label = `label=io.x-k8s.kind.cluster=${this.config.name}`;
    await waitFor(
      {
        what: `every node container of kind cluster '${this.config.name}' to be removed`,
        check: async (attemptSignal) => {
          const ids = (await this.docker(['ps', '-aq', '--filter', label], attemptSignal)).split('\n').filter(Boolean);
          if (ids.length > 0) await this.docker(['rm', '-f', '-v', ...ids], attemptSignal);
          quiet = ids.length === 0 ? quiet + 1 : 0;
          return { ok: quiet >= 3, observed: `${ids.length} container(s) found` };
        },
      },
      { within: 120_000, signal, interval: 300 },
    );
  }

  /** kind leaves its `kind` docker network behind; remove it when no other cluster uses it. */
  private async removeNetworkIfUnused(signal: AbortSignal): Promise<void> {
    if ((await this.docker(['network', 'inspect', 'kind', '--format', '{{len .Containers}}'], signal)) === '0') {
      await this.docker(['network', 'rm', 'kind'], signal);
    }
  }

  private async create(options: OpOptions): Promise<void> {
    const { config } = this;
    const image = config.nodeImage ?? (await this.ctx.defaultNodeImage?.());
    options.progress?.(`creating kind cluster '${config.name}'${image ? ` from ${image}` : ''}`);
    const args = ['create', 'cluster', '--name', config.name, '--config', '-'];
    if (image) args.push('--image', image);
    args.push('--kubeconfig', this.kubeconfigPath, '--wait', '0s');
    await this.kind(args, options.signal, { input: renderKindConfig(config), timeoutMs: this.ctx.provisionMs });
  }

  private async reuse(options: OpOptions): Promise<void> {
    const { config } = this;
    const nodes = await kindNodeNames(config.name, this.ctx.tools, options.signal);
    if (nodes.length !== config.workers + 1) {
      throw new HarnessError(
        'provision',
        `kind cluster '${config.name}' already exists with ${nodes.length} nodes, but ${config.workers + 1} are configured`,
        `run 'mip-verify cluster down' to remove it, or configure ${nodes.length - 1} workers`,
      );
    }
    options.progress?.(`reusing kind cluster '${config.name}' (reused: true)`);
    await this.kind(['export', 'kubeconfig', '--name', config.name, '--kubeconfig', this.kubeconfigPath], options.signal);
  }

  private kind(args: string[], signal: AbortSignal, extra: { input?: string; timeoutMs?: number } = {}): Promise<ToolResult> {
    return this.ctx.tools.runTool('kind', args, { signal, env: this.ctx.tools.env, ...extra });
  }
}

function kindCluster(config: KindConfig, ctx: ProviderContext, kubeconfigPath: string, kube: Kube): Cluster {
  return {
    name: config.name,
    provider: 'kind',
    kubeconfigPath,
    context: `kind-${config.name}`,
    ingressUrl: `http://127.0.0.1:${config.httpPort}`,
    disposable: true,
    sharedDir: resolve(config.sharedDir),
    listNodes: () => listNodeInfo(kube),
    serverVersion: () => serverVersion(kube),
    exportLogs: (dir, { signal }) => exportKindLogs(config.name, ctx.tools, dir, signal),
    nodes: kindNodeFaults(config.name, ctx.tools),
    images: kindImageLoader(config.name, ctx.tools),
    files: kindNodeFiles(ctx.tools),
  };
}

/** Runs a version probe; a failure means the tool is missing or unusable. */
async function prerequisite(ctx: ProviderContext, tool: string, args: string[], hint: string): Promise<void> {
  try {
    await ctx.tools.runTool(tool, args, { env: ctx.tools.env, timeoutMs: 30_000 });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new HarnessError('prerequisite', `${tool} is not usable: ${reason}`, hint, { cause: error });
  }
}
