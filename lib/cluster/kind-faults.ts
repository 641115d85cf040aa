// Node faults on a kind cluster: each node is a docker container of the same name, so stopping,
// starting, restarting or pausing the container is the fault.
import { ConfigError } from '../errors.ts';
import type { NodeFaults, OpOptions } from './types.ts';
import type { Tools } from './command-runner.ts';

type DockerVerb = 'stop' | 'start' | 'restart' | 'pause' | 'unpause';

/** The node names of kind cluster `name` (`kind get nodes`). */
export async function kindNodeNames(name: string, tools: Tools, signal: AbortSignal): Promise<string[]> {
  const result = await tools.runTool('kind', ['get', 'nodes', '--name', name], { signal, env: tools.env });
  return result.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('No kind nodes'))
    .sort();
}

/** Node faults for kind cluster `clusterName`, through docker. */
export function kindNodeFaults(clusterName: string, tools: Tools): NodeFaults {
  const fault =
    (verb: DockerVerb) =>
    async (node: string, options: OpOptions): Promise<void> => {
      const nodes = await kindNodeNames(clusterName, tools, options.signal);
      if (!nodes.includes(node)) {
        const valid = nodes.length > 0 ? nodes.join(', ') : 'none';
        throw new ConfigError(
          `node '${node}' is not a node of kind cluster '${clusterName}' (its nodes: ${valid})`,
          'name one of the listed nodes as the target',
        );
      }
      options.progress?.(`docker ${verb} ${node}`);
      await tools.runTool('docker', [verb, node], { signal: options.signal, env: tools.env });
    };
  return {
    stop: fault('stop'),
    start: fault('start'),
    restart: fault('restart'),
    pause: fault('pause'),
    unpause: fault('unpause'),
  };
}
