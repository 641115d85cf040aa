// Loads images built on this machine into every node of a kind cluster: there is no registry to
// pull them from. `kind load image-archive` imports through ctr, which the offline node image has.
// Files go onto a node the same way, through docker: each node is a container of the node's name.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tools } from './command-runner.ts';
import type { ImageLoader, NodeFiles, OpOptions } from './types.ts';

/** The image-loading capability of a kind cluster. */
export function kindImageLoader(clusterName: string, tools: Tools): ImageLoader {
  const run = (command: string, args: string[], signal: AbortSignal): Promise<unknown> => tools.runTool(command, args, { signal, env: tools.env });
  return {
    async loadLocal(refs: readonly string[], options: OpOptions): Promise<string[]> {
      const local: string[] = [];
      for (const ref of new Set(refs)) {
        if (await run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], options.signal).then(() => true, () => false)) local.push(ref);
      }
      if (local.length === 0) return [];
      options.progress?.(`loading ${local.join(', ')} into the nodes of '${clusterName}'`);
      const dir = await mkdtemp(join(tmpdir(), 'mip-verify-images-'));
      try {
        const archive = join(dir, 'images.tar');
        await run('docker', ['save', '-o', archive, ...local], options.signal);
        await run('kind', ['load', 'image-archive', archive, '--name', clusterName], options.signal);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      return local;
    },
  };
}

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
