// Node listing, labelling and the server version, shared by every provider.
import { PatchStrategy, VersionApi, setHeaderOptions, type V1Node } from '@kubernetes/client-node';
import type { Kube } from '../k8s/client.ts';
import type { NodeInfo } from '../report/events.ts';

const rolePrefix = 'node-role.kubernetes.io/';

/** The nodes of the cluster as the reports record them. */
export async function listNodeInfo(kube: Kube): Promise<NodeInfo[]> {
  const list = await kube.core.listNode();
  return list.items.map(toNodeInfo);
}

/** One node as the reports record it. */
export function toNodeInfo(node: V1Node): NodeInfo {
  const labels = node.metadata?.labels ?? {};
  return {
    name: node.metadata?.name ?? '',
    roles: nodeRoles(labels),
    labels: { ...labels },
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? '',
    ready: node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
  };
}

/** Roles from `node-role.kubernetes.io/<role>` labels; the MIP `worker=true` label counts as a role too. */
export function nodeRoles(labels: Readonly<Record<string, string>>): string[] {
  const roles = Object.keys(labels)
    .filter((key) => key.startsWith(rolePrefix))
    .map((key) => key.slice(rolePrefix.length));
  if (labels.worker === 'true' && !roles.includes('worker')) roles.push('worker');
  return roles.sort();
}

/** Whether the node runs the control plane. */
export function isControlPlane(node: V1Node): boolean {
  const labels = node.metadata?.labels ?? {};
  return `${rolePrefix}control-plane` in labels || `${rolePrefix}master` in labels;
}

/**
 * Merges labels into every node `labelsFor` returns labels for; returns the names labelled.
 * Labelling through the API after creation works on every kind and microk8s version.
 */
export async function labelNodes(kube: Kube, labelsFor: (node: V1Node) => Record<string, string> | undefined): Promise<string[]> {
  const list = await kube.core.listNode();
  const labelled: string[] = [];
  for (const node of list.items) {
    const name = node.metadata?.name;
    const labels = labelsFor(node);
    if (!name || !labels || Object.keys(labels).length === 0) continue;
    const body = { metadata: { labels } };
    await kube.core.patchNode({ name, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    labelled.push(name);
  }
  return labelled;
}

/** The API server's version (`/version`), e.g. v1.33.1. */
export async function serverVersion(kube: Kube): Promise<string> {
  const info = await kube.config.makeApiClient(VersionApi).getCode();
  return info.gitVersion;
}
