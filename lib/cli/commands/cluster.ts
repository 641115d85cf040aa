// `mip-verify cluster up|down|status`: the cluster on its own, without a run.
import type { ClusterProvider, OpOptions } from '../../cluster/types.ts';
import { clusterDownCommand } from '../../config/defaults.ts';
import type { RunConfig } from '../../config/types.ts';
import { ConfigError } from '../../errors.ts';
import { createProgress } from '../../progress.ts';
import { formatDuration } from '../../wait.ts';
import { isCI, writeLine, type CliIO } from '../io.ts';
import { watchInterrupts } from '../signals.ts';
import { loadRunConfig } from './options.ts';

const ACTIONS = ['up', 'down', 'status'] as const;
type Action = (typeof ACTIONS)[number];

/** Budget for `status` to attach to a cluster that exists; it reports, it does not wait long. */
const STATUS_ATTACH_MS = 60_000;

/** Creates, removes or describes the configured cluster. */
export async function clusterCommand(action: string, argv: Readonly<Record<string, unknown>>, io: CliIO): Promise<number> {
  const chosen = ACTIONS.find((name) => name === action);
  if (chosen === undefined) throw new ConfigError(`Unknown cluster action '${action}': use up, down or status.`);
  const loaded = await loadRunConfig(argv, io, false);
  const config = chosen === 'status' ? { ...loaded, timeouts: { ...loaded.timeouts, provision: STATUS_ATTACH_MS } } : loaded;
  // The run's own provider factory, so `cluster up` builds exactly the cluster a run would.
  const { defaultDeps } = await import('../../run/deps.ts');
  const provider = (await defaultDeps()).createProvider(config);
  const progress = createProgress(io.stderr, { ci: isCI(io.env) });
  const interrupts = watchInterrupts({ write: (line) => writeLine(io.stderr, line) });
  const options: OpOptions = { signal: interrupts.signal, progress: (line) => progress.line(line) };
  const started = performance.now();
  try {
    await ACTION_HANDLERS[chosen](provider, options, io, config);
    progress.done(`cluster ${chosen}: done in ${formatDuration(performance.now() - started)}`);
    return 0;
  } finally {
    interrupts.dispose();
  }
}

type Handler = (provider: ClusterProvider, options: OpOptions, io: CliIO, config: RunConfig) => Promise<void>;

const ACTION_HANDLERS: Readonly<Record<Action, Handler>> = {
  async up(provider, options, io) {
    const cluster = await provider.provision(options);
    writeLine(io.stdout, `Cluster '${cluster.name}' (${cluster.provider}) is up.`);
    writeLine(io.stdout, `  kubeconfig  ${cluster.kubeconfigPath}`);
    writeLine(io.stdout, `  context     ${cluster.context}`);
    writeLine(io.stdout, `  ingress     ${cluster.ingressUrl}`);
    if (cluster.disposable) writeLine(io.stdout, `Remove it with '${clusterDownCommand(cluster.name)}'.`);
  },
  async down(provider, options, io, config) {
    if (provider.name === 'existing') {
      writeLine(io.stdout, 'Nothing removed: mip-verify never removes a cluster it did not create.');
      return;
    }
    await provider.destroy(options);
    writeLine(io.stdout, `Cluster ${clusterLabel(config)} removed.`);
  },
  async status(provider, options, io, config) {
    if (!(await provider.exists(options))) {
      writeLine(io.stdout, `Cluster ${clusterLabel(config)} does not exist. Create it with 'npx mip-verify cluster up'.`);
      return;
    }
    const cluster = await provider.provision(options);
    writeLine(
      io.stdout,
      `Cluster '${cluster.name}' (${cluster.provider}), Kubernetes ${await cluster.serverVersion()}, ingress ${cluster.ingressUrl}`,
    );
    for (const node of await cluster.listNodes()) {
      const roles = node.roles.length > 0 ? node.roles.join(',') : 'worker';
      writeLine(io.stdout, `  ${node.name}  ${node.ready ? 'Ready' : 'NotReady'}  ${roles}  ${node.kubeletVersion}`);
    }
  },
};

function clusterLabel(config: RunConfig): string {
  return config.cluster.provider === 'kind' ? `'${config.cluster.name}' (kind)` : `(${config.cluster.provider})`;
}
