// Collects the logs of a kind cluster's nodes: each node container's own output, and the kubelet and
// containerd journals inside it. (`kind export logs` needs crictl in the node, which the offline image lacks.)
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tools } from './command-runner.ts';
import { kindNodeNames } from './kind-faults.ts';

const journals = ['kubelet', 'containerd'] as const;

/** Writes `<dir>/<node>/{node.log,kubelet.log,containerd.log}`; a source that cannot be read gets a note instead. */
export async function exportKindLogs(clusterName: string, tools: Tools, dir: string, signal: AbortSignal): Promise<void> {
  const run = (args: string[]): Promise<string> =>
    tools.runTool('docker', args, { signal, env: tools.env }).then(
      (r) => r.stdout + r.stderr,
      (error: unknown) => `could not be read: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}\n`,
    );
  for (const node of await kindNodeNames(clusterName, tools, signal)) {
    const nodeDir = join(dir, node);
    await mkdir(nodeDir, { recursive: true });
    await writeFile(join(nodeDir, 'node.log'), await run(['logs', node]));
    for (const unit of journals) {
      await writeFile(
        join(nodeDir, `${unit}.log`),
        await run(['exec', node, 'journalctl', '--no-pager', '-o', 'short-precise', '-u', unit]),
      );
    }
  }
}
