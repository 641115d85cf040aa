// Loads images built on this machine into every node of a kind cluster: there is no registry to
// pull them from. `kind load image-archive` imports through ctr, which the offline node image has.
// Files go onto a node the same way, through docker: each node is a container of the node's name.
// The loader remembers which loaded images were built from a checkout (their labels), for the sign-off.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageSource } from '../report/events.ts';
import { sourceFromLabels } from '../stack/source-identity.ts';
import type { Tools } from './command-runner.ts';
import type { ImageLoader, NodeFiles, OpOptions } from './types.ts';

/** The image-loading capability of a kind cluster. */
export function kindImageLoader(clusterName: string, tools: Tools): ImageLoader {
  const kind: KindNodes = { clusterName, tools, sources: {} };
  return { loadLocal: (refs, options) => loadLocal(kind, refs, options), sources: () => ({ ...kind.sources }) };
}

/** A kind cluster's name and the tools that reach its nodes. */
interface KindNodes {
  readonly clusterName: string;
  readonly tools: Tools;
  /** The checkout each loaded image was built from, by ref (from its labels). */
  readonly sources: Record<string, ImageSource>;
}

async function loadLocal(kind: KindNodes, refs: readonly string[], options: OpOptions): Promise<string[]> {
  const local = await localImageIds(kind, refs, options.signal);
  if (local.size === 0) return [];
  // An image every node already has under that name (same image id) need not be saved and loaded again.
  const held = await heldByEveryNode(kind, local, options.signal);
  const missing = [...local.keys()].filter((ref) => !held.has(ref));
  if (held.size > 0) options.progress?.(`the nodes of '${kind.clusterName}' already hold ${[...held].join(', ')}`);
  if (missing.length === 0) return [...local.keys()];
  options.progress?.(`loading ${missing.join(', ')} into the nodes of '${kind.clusterName}'`);
  const dir = await mkdtemp(join(tmpdir(), 'mip-verify-images-'));
  try {
    const archive = join(dir, 'images.tar');
    await kind.tools.runTool('docker', ['save', '-o', archive, ...missing], { signal: options.signal, env: kind.tools.env });
    await kind.tools.runTool('kind', ['load', 'image-archive', archive, '--name', kind.clusterName], {
      signal: options.signal,
      env: kind.tools.env,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return [...local.keys()];
}

/** The local Docker engine's image id of each of `refs` it has; notes the checkout each was built from. */
async function localImageIds(kind: KindNodes, refs: readonly string[], signal: AbortSignal): Promise<Map<string, string>> {
  const local = new Map<string, string>();
  for (const ref of new Set(refs)) {
    const [id, labels] = await read(kind.tools, ['docker', 'image', 'inspect', '--format', INSPECT_FORMAT, ref], signal).then(
      parseInspect,
      () => ['', undefined] as const,
    );
    if (!id) continue;
    local.set(ref, id);
    const source = sourceFromLabels(labels);
    if (source) kind.sources[ref] = source;
    else delete kind.sources[ref];
  }
  return local;
}

/** The image id, then its labels as JSON (`null` when it has none). */
const INSPECT_FORMAT = '{{.Id}} {{json .Config.Labels}}';

function parseInspect(out: string): readonly [string, Record<string, string> | undefined] {
  const line = out.trim();
  const space = line.indexOf(' ');
  if (space < 0) return [line, undefined];
  try {
    return [line.slice(0, space), (JSON.parse(line.slice(space + 1)) as Record<string, string> | null) ?? undefined];
  } catch {
    return [line.slice(0, space), undefined];
  }
}

/** The refs whose image (by id) every node's containerd holds under that name; none when a node cannot be asked. */
async function heldByEveryNode(kind: KindNodes, local: ReadonlyMap<string, string>, signal: AbortSignal): Promise<Set<string>> {
  const nodes = (await read(kind.tools, ['kind', 'get', 'nodes', '--name', kind.clusterName], signal).catch(() => ''))
    .split('\n')
    .map((n) => n.trim())
    .filter(Boolean);
  if (nodes.length === 0) return new Set();
  const perNode = await Promise.all(
    nodes.map((node) =>
      read(kind.tools, ['docker', 'exec', node, 'sh', '-c', NODE_IMAGE_IDS, 'image-ids', ...local.keys()], signal).catch(() => ''),
    ),
  );
  const held = new Set(local.keys());
  for (const listing of perNode) {
    const ids = new Map(
      listing
        .split('\n')
        .map((line) => line.trim().split(' '))
        .filter((p) => p.length === 2) as [string, string][],
    );
    for (const [ref, id] of local) if (ids.get(ref) !== id) held.delete(ref);
  }
  return held;
}

/** The standard output of one program run with the cluster tools' environment. */
async function read(tools: Tools, [command, ...args]: readonly [string, ...string[]], signal: AbortSignal): Promise<string> {
  return (await tools.runTool(command, args, { signal, env: tools.env })).stdout;
}

// On a node: `<ref> <image id>` for each ref its containerd holds (the id is the config digest of the
// manifest it stored, which is what `docker image inspect` calls the image's id).
const NODE_IMAGE_IDS = [
  'for ref in "$@"; do',
  '  digest=$(ctr -n k8s.io images ls "name==$ref" 2>/dev/null | awk \'NR == 2 { print $3 }\')',
  '  [ -n "$digest" ] || continue',
  '  config=$(ctr -n k8s.io content get "$digest" 2>/dev/null | grep -o \'"config":{[^}]*}\' | grep -o \'sha256:[0-9a-f]*\')',
  '  [ -n "$config" ] && echo "$ref $config"',
  'done',
].join('\n');

/** Files onto kind nodes: `docker exec` clears the directory, `docker cp` copies the local one in. */
export function kindNodeFiles(tools: Tools): NodeFiles {
  return {
    async replaceDir(node: string, localDir: string, remoteDir: string, options: OpOptions): Promise<void> {
      if (!remoteDir.startsWith('/') || remoteDir.split('/').filter(Boolean).length < 2) {
        throw new Error(`refusing to replace '${remoteDir}' on ${node}: not an absolute path at least two levels deep`);
      }
      const run = (args: string[]): Promise<unknown> => tools.runTool('docker', args, { signal: options.signal, env: tools.env });
      await run(['exec', node, 'sh', '-c', 'rm -rf "$1" && mkdir -p "$1"', 'replace-dir', remoteDir]);
      await run(['cp', `${localDir}/.`, `${node}:${remoteDir}`]);
      // docker cp keeps the local owner's ids; the workers read as another user, so make it world-readable.
      await run(['exec', node, 'chmod', '-R', 'a+rX', remoteDir]);
    },
  };
}
