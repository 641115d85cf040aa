// Injecting a scenario's fault into a node and bringing the node back. The restore uses the signal it is
// given, not the run's: after Ctrl-C the run signal is aborted, yet the node must still be started.
import { CoordinationV1Api } from '@kubernetes/client-node';
import type { Cluster, NodeFaults } from '../cluster/types.ts';
import { nodeReady } from '../k8s/conditions.ts';
import type { Kube } from '../k8s/client.ts';
import { kubeletReachable, kubeletRenewed } from '../k8s/kubelet-conditions.ts';
import { waitFor, type WaitListener } from '../wait.ts';
import type { FaultTime } from './observer.ts';
import type { Scenario } from './scenarios.ts';

/** How long a node may take to be Ready again once its container runs. */
export const NODE_BACK_MS = 5 * 60_000;

/** The fault as it happened. */
export interface InjectedFault extends FaultTime {
  /** How long the fault call took (ms): the uncertainty of the moment the node went away. */
  callMs: number;
  /** When the node was running again (epoch ms), for faults that bring it back. */
  upMs?: number;
}

/** The node faults of the cluster, or why there are none. */
export function nodeFaultsOf(cluster: Pick<Cluster, 'nodes' | 'provider' | 'name'>): NodeFaults {
  if (!cluster.nodes)
    throw new Error(`the ${cluster.provider} cluster ${cluster.name} cannot stop or start nodes (no node-fault capability)`);
  return cluster.nodes;
}

/** Injects the scenario's fault into `node`; `began` is called the moment before, with the fault's time. */
export async function injectFault(
  faults: NodeFaults,
  scenario: Scenario,
  node: string,
  options: { signal: AbortSignal; began: (at: FaultTime) => void },
): Promise<InjectedFault> {
  const at: FaultTime = { wallMs: Date.now(), mono: performance.now() };
  options.began(at);
  const op = { signal: options.signal };
  if (scenario.fault === 'restart') await faults.restart(node, op);
  else await faults.stop(node, op);
  const callMs = Math.max(1, Math.round(performance.now() - at.mono));
  if (scenario.fault === 'stop-start') await faults.start(node, op);
  return { ...at, callMs, ...(scenario.fault === 'stop' ? {} : { upMs: Date.now() }) };
}

/**
 * Starts `node` (a no-op when it runs) and waits until its kubelet is alive, reachable and the node Ready; the
 * waits go to `listener` when a check runs it (a teardown has no check to list them under).
 */
export async function restoreNode(
  faults: NodeFaults,
  kube: Pick<Kube, 'core' | 'config'>,
  node: string,
  call: { signal: AbortSignal; listener?: WaitListener },
): Promise<void> {
  const { signal, listener } = call;
  const since = Date.now();
  await faults.unpause?.(node, { signal }).catch(() => undefined);
  await faults.start(node, { signal });
  const leases = kube.config.makeApiClient(CoordinationV1Api);
  await waitFor(kubeletRenewed(leases, node, since), { within: NODE_BACK_MS, signal, interval: 1_000, listener });
  await waitFor(nodeReady(kube, node), { within: NODE_BACK_MS, signal, interval: 1_000, listener });
  try {
    await waitFor(kubeletReachable(kube, node), { within: 60_000, signal, interval: 1_000, listener });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `node ${node} is back and Ready, but its kubelet cannot be reached at the address the node object records: it probably came back with another IP address, which kind does not support (kubernetes-sigs/kind#2715); pods scheduled there will not serve. ${message}`,
      { cause: error },
    );
  }
}
