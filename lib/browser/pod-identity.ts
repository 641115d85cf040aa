// Which web pod served a browser session, read from what Streamlit itself sends, with nothing added to
// the app: every page load's `/_stcore/stream` websocket starts with a NewSession message carrying the
// pod's installation id (uuid5 of the pod's uuid node, one value per pod), and a new workspace id is a
// uuid1 whose node field is that of the pod that made it. The identities are read from each web pod.
import type { PodIdentity } from '../drivers/openms.ts';

/** A web pod and what tells it apart. */
export interface WebPodIdentity extends PodIdentity {
  /** The pod's name. */
  pod: string;
}

/** One sentence per pair of pods that send the same installation id or make the same uuid node: sessions cannot tell them apart. */
export function identityClashes(pods: readonly WebPodIdentity[]): string[] {
  const clashes: string[] = [];
  for (const [i, a] of pods.entries()) {
    for (const b of pods.slice(i + 1)) {
      if (a.installation_id === b.installation_id) {
        clashes.push(
          `web pods ${a.pod} and ${b.pod} send the same installation id ${a.installation_id}, so a session cannot tell which of them serves it`,
        );
      }
      if (a.node === b.node) clashes.push(`web pods ${a.pod} and ${b.pod} make workspace ids with the same uuid node ${a.node}`);
    }
  }
  return clashes;
}

/** The pod whose installation id a stream frame carries (NewSession sends it as text inside protobuf). */
export function podOfFrame(payload: string | Buffer, pods: readonly WebPodIdentity[]): string | undefined {
  const text = typeof payload === 'string' ? payload : payload.toString('latin1');
  return pods.find((pod) => text.includes(pod.installation_id))?.pod;
}

/** The workspace a page's URL names (`?workspace=<id>`), if any. */
export function workspaceOfUrl(url: string): string | undefined {
  try {
    return new URL(url).searchParams.get('workspace') ?? undefined;
  } catch {
    return undefined;
  }
}

/** The pod that made a uuid1 workspace id (its last 12 hex digits are the pod's uuid node); undefined for any other id. */
export function podOfWorkspace(workspace: string, pods: readonly WebPodIdentity[]): string | undefined {
  const match = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-([0-9a-f]{12})$/i.exec(workspace);
  if (!match) return undefined;
  const node = match[1]?.toLowerCase();
  return pods.find((pod) => pod.node.toLowerCase() === node)?.pod;
}
