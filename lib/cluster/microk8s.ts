// The microk8s provider: Ubuntu VMs reached over SSH (or this machine). It checks the addons the
// stacks need, fetches the kubeconfig into the cache, labels the nodes as MIP expects, and offers
// node faults through `microk8s stop/start` and a real reboot.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, HarnessError } from '../errors.ts';
import type { ClusterConfig } from '../config/types.ts';
import { nodesReady } from '../k8s/conditions.ts';
import { ToolError } from '../exec.ts';
import { waitFor } from '../wait.ts';
import { localRunner, sshRunner, type CommandRunner } from './command-runner.ts';
import { resolveContext } from './existing.ts';
import { labelNodes, listNodeInfo, serverVersion } from './kube-nodes.ts';
import type { Cluster, ClusterProvider, NodeFaults, OpOptions, ProviderContext } from './types.ts';

type Microk8sConfig = Extract<ClusterConfig, { provider: 'microk8s' }>;

/** Addons every stack relies on. */
export const requiredAddons = ['dns', 'helm3', 'ingress'] as const;

/** The microk8s provider for a list of hosts (empty: this machine). */
export function createMicrok8sProvider(config: Microk8sConfig, ctx: ProviderContext): ClusterProvider {
  const runners = config.hosts.length > 0 ? config.hosts.map((host) => sshRunner(host, ctx.tools)) : [localRunner(ctx.tools)];
  const check = async (signal: AbortSignal): Promise<void> => {
    for (const runner of runners) await checkHost(runner, signal);
  };
  const provision = async (options: OpOptions): Promise<Cluster> => {
    await check(options.signal);
    const kubeconfigPath = config.kubeconfig
      ? resolve(config.kubeconfig)
      : await fetchKubeconfig(runners[0] as CommandRunner, ctx.cacheDir, options.signal);
    const context = await resolveContext(kubeconfigPath, undefined);
    const kube = await ctx.connect(kubeconfigPath, context);
    await waitFor(nodesReady(kube, runners.length), {
      within: ctx.provisionMs,
      signal: options.signal,
      onAttempt: (_attempt, observed) => options.progress?.(`waiting for nodes: ${observed}`),
    });
    const names = await hostnames(runners, options.signal);
    await labelNodes(kube, (node) => roleLabels(names, node.metadata?.name ?? ''));
    return {
      name: 'microk8s',
      provider: 'microk8s',
      kubeconfigPath,
      context,
      ingressUrl: `http://${hostAddress(runners[0]?.host)}:80`,
      // The VMs outlive the run; they are the user's, not created by it.
      disposable: false,
      listNodes: () => listNodeInfo(kube),
      serverVersion: () => serverVersion(kube),
      exportLogs: (dir, { signal }) => exportLogs(runners, dir, signal),
      nodes: microk8sNodeFaults(runners, ctx.chaosMs),
    };
  };
  return {
    name: 'microk8s',
    validate: () => check(AbortSignal.timeout(60_000)),
    provision,
    exists: () => Promise.resolve(true),
    // Existing VMs: nothing of the provider's to remove.
    destroy: async () => {},
  };
}

/** Labels by host order: the first host is MIP's master, the others workers; a single node is both. */
export function roleLabels(hostnames: readonly string[], node: string): Record<string, string> | undefined {
  const index = hostnames.indexOf(node);
  if (index < 0) return undefined;
  if (hostnames.length === 1) return { master: 'true', worker: 'true' };
  return index === 0 ? { master: 'true' } : { worker: 'true' };
}

/** Writes `microk8s config` of the first host into the cache; the file holds credentials, so owner-only. */
async function fetchKubeconfig(runner: CommandRunner, dir: string, signal: AbortSignal): Promise<string> {
  const path = join(dir, 'kubeconfig-microk8s');
  const result = await runner.run(['microk8s', 'config'], { signal });
  await mkdir(dir, { recursive: true });
  await writeFile(path, result.stdout, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}

/** Runs `microk8s status` on a host and checks it runs with every required addon enabled. */
export async function checkHost(runner: CommandRunner, signal: AbortSignal): Promise<void> {
  let stdout: string;
  try {
    ({ stdout } = await runner.run(['microk8s', 'status', '--format', 'yaml'], { signal, timeoutMs: 60_000 }));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new HarnessError(
      'prerequisite',
      `microk8s did not answer on ${runner.describe}: ${reason}`,
      'install microk8s there and add the user to the microk8s group',
      { cause: error },
    );
  }
  const status = parseStatus(stdout);
  if (!status.running) {
    throw new HarnessError('prerequisite', `microk8s is not running on ${runner.describe}`, 'run `microk8s start` there');
  }
  for (const addon of requiredAddons) {
    if (status.enabled.has(addon)) continue;
    throw new HarnessError(
      'prerequisite',
      `microk8s addon '${addon}' is not enabled on ${runner.describe}`,
      `run \`microk8s enable ${addon}\` there`,
    );
  }
}

/** What `microk8s status --format yaml` says: whether it runs and which addons are enabled. */
export function parseStatus(text: string): { running: boolean; enabled: Set<string> } {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    doc = undefined;
  }
  const root = isRecord(doc) ? doc : {};
  const microk8s = isRecord(root.microk8s) ? root.microk8s : {};
  const running = microk8s.running === true || String(microk8s.running).toLowerCase() === 'true';
  const enabled = new Set<string>();
  for (const addon of Array.isArray(root.addons) ? (root.addons as unknown[]) : []) {
    if (isRecord(addon) && addon.status === 'enabled' && typeof addon.name === 'string') enabled.add(addon.name);
  }
  return { running, enabled };
}

/** Each host's name, which microk8s uses (lowercased) as its node name. */
export function hostnames(runners: readonly CommandRunner[], signal: AbortSignal): Promise<string[]> {
  return Promise.all(runners.map(async (runner) => (await runner.run(['hostname'], { signal })).stdout.trim().toLowerCase()));
}

function hostAddress(host: string | undefined): string {
  if (host === undefined) return '127.0.0.1';
  return host.slice(host.lastIndexOf('@') + 1);
}

async function exportLogs(runners: readonly CommandRunner[], dir: string, signal: AbortSignal): Promise<void> {
  for (const runner of runners) {
    const name = runner.host ? hostAddress(runner.host) : 'local';
    const args = ['journalctl', '-u', 'snap.microk8s.daemon-kubelite', '--no-pager', '-n', '2000'];
    // Best effort per host: one unreachable VM must not hide the logs of the others.
    const text = await runner.run(args, { signal }).then(
      (result) => result.stdout,
      (error: unknown) => `could not read the logs on ${runner.describe}: ${String(error)}\n`,
    );
    await writeFile(join(dir, `microk8s-${name}.log`), text);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Node faults: `microk8s stop/start` on the host whose hostname is the node, and for a restart
 * a real reboot over SSH (stop and start on this machine, which must not reboot itself).
 */
export function microk8sNodeFaults(runners: readonly CommandRunner[], rebootMs: number): NodeFaults {
  const runnerFor = async (node: string, signal: AbortSignal): Promise<CommandRunner> => {
    const names = await hostnames(runners, signal);
    const runner = runners[names.indexOf(node.toLowerCase())];
    if (runner) return runner;
    throw new ConfigError(
      `node '${node}' is not a host of this microk8s cluster (its nodes: ${names.join(', ')})`,
      'name one of the listed nodes as the target',
    );
  };
  const microk8s = (verb: 'stop' | 'start') => async (node: string, options: OpOptions) => {
    const runner = await runnerFor(node, options.signal);
    options.progress?.(`microk8s ${verb} on ${runner.describe}`);
    await runner.run(['microk8s', verb], { signal: options.signal });
  };
  const stop = microk8s('stop');
  const start = microk8s('start');
  const restart = async (node: string, options: OpOptions): Promise<void> => {
    const runner = await runnerFor(node, options.signal);
    if (!runner.host) {
      await stop(node, options);
      return start(node, options);
    }
    await reboot(runner, rebootMs, options);
  };
  return { stop, start, restart };
}

const bootIdFile = '/proc/sys/kernel/random/boot_id';

/** Reboots the host and waits until it has booted again (a new boot id) with microk8s running. */
async function reboot(runner: CommandRunner, within: number, options: OpOptions): Promise<void> {
  const before = (await runner.run(['cat', bootIdFile], { signal: options.signal })).stdout.trim();
  options.progress?.(`sudo reboot on ${runner.describe}`);
  try {
    // -n: fail at once when sudo wants a password instead of hanging on a prompt.
    await runner.run(['sudo', '-n', 'reboot'], { signal: options.signal, timeoutMs: 30_000 });
  } catch (error) {
    // ssh exits 255 when the host drops the connection while going down: that is the reboot working.
    if (!(error instanceof ToolError && (error.exitCode === 255 || error.timedOut))) throw error;
  }
  await waitFor(
    {
      what: `${runner.describe} back from reboot with microk8s running`,
      check: async (signal) => {
        const now = await runner.run(['cat', bootIdFile], { signal, timeoutMs: 15_000 }).catch(() => undefined);
        if (!now) return { ok: false, observed: 'unreachable' };
        if (now.stdout.trim() === before) return { ok: false, observed: 'not rebooted yet' };
        const status = await runner.run(['microk8s', 'status', '--format', 'yaml'], { signal, timeoutMs: 30_000 }).catch(() => undefined);
        const running = status ? parseStatus(status.stdout).running : false;
        return { ok: running, observed: running ? 'microk8s running' : 'rebooted, microk8s not running yet' };
      },
    },
    { within, signal: options.signal, interval: 5_000 },
  );
}
