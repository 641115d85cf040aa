// Named conditions on a node's kubelet, beyond the Ready condition the API keeps showing for a while after a
// node dies: its Lease renewed, and the API server able to reach it at the address the node object records.
import type { CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { Condition } from '../wait.ts';
import { describeApiError, requestOptions } from './client.ts';

/**
 * The node's kubelet renewed its Lease (every 10 s while it runs) at or after `sinceMs`: unlike the node's
 * Ready condition, which the API keeps showing for a while after a node dies, this proves the kubelet is alive.
 */
export function kubeletRenewed(leases: Pick<CoordinationV1Api, 'readNamespacedLease'>, node: string, sinceMs: number): Condition<void> {
  return {
    what: `the kubelet of ${node} to renew its lease`,
    check: async (signal) => {
      const lease = await leases.readNamespacedLease({ name: node, namespace: 'kube-node-lease' }, requestOptions(signal));
      const renewed = lease.spec?.renewTime ? new Date(lease.spec.renewTime).getTime() : NaN;
      return { ok: renewed >= sinceMs, observed: Number.isNaN(renewed) ? 'never renewed' : `renewed ${new Date(renewed).toISOString()}` };
    },
  };
}

/**
 * The API server reaches the node's kubelet at the address the node object records. A kind node restarted
 * with another address (Docker gave its old one away) still reports Ready, but nothing can reach it and pods
 * scheduled there never serve: kind does not support that (kubernetes-sigs/kind#2715).
 */
export function kubeletReachable(kube: { core: Pick<CoreV1Api, 'connectGetNodeProxyWithPath'> }, node: string): Condition<void> {
  return {
    what: `the API server to reach the kubelet of ${node}`,
    check: async (signal) => {
      try {
        await kube.core.connectGetNodeProxyWithPath({ name: node, path: 'healthz' }, requestOptions(signal));
        return { ok: true, observed: 'kubelet answers' };
      } catch (error) {
        if (signal.aborted) throw error;
        return { ok: false, observed: describeApiError(error) };
      }
    },
  };
}
