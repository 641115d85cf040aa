// Installs the offline cluster's add-ons after `cluster up`: Traefik as ingress controller and the
// `mip-verify-shared` ReadWriteMany StorageClass, both from images preloaded in the node image.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from '../../exec.ts';
import { connect } from '../../k8s/client.ts';
import { deploymentReady } from '../../k8s/conditions.ts';
import { toolPath } from '../../paths.ts';
import { waitFor } from '../../wait.ts';
import type { Cluster, OpOptions } from '../types.ts';
import { kitDir, toolsImageTag } from './kit.ts';
import { versions } from './versions.ts';

/** Namespace of the add-ons. */
export const addonsNamespace = 'mip-verify-system';
/** The ReadWriteMany StorageClass backed by the host directory every node mounts. */
export const sharedStorageClass = 'mip-verify-shared';

/** The add-ons manifest with the image tags of the current kit. */
export async function addonsManifest(): Promise<string> {
  const toolsTag = await toolsImageTag();
  const text = await readFile(join(kitDir, 'manifests', 'addons.yaml'), 'utf8');
  return text.replaceAll('__TOOLS_TAG__', toolsTag).replaceAll('__TRAEFIK_TAG__', versions.traefik);
}

/** Applies the add-ons and waits until Traefik and the volume provisioner are Ready. */
export async function installAddons(cluster: Cluster, options: OpOptions & { env: NodeJS.ProcessEnv; withinMs: number }): Promise<void> {
  options.progress?.('installing Traefik and the shared StorageClass');
  await runTool(
    'kubectl',
    ['--kubeconfig', cluster.kubeconfigPath, '--context', cluster.context, 'apply', '--server-side', '--force-conflicts', '-f', '-'],
    { input: await addonsManifest(), signal: options.signal, env: { PATH: toolPath(options.env) } },
  );
  const kube = connect(cluster.kubeconfigPath, cluster.context);
  for (const name of ['traefik', 'shared-volume-provisioner']) {
    await waitFor(deploymentReady(kube, addonsNamespace, name, 1), { within: options.withinMs, signal: options.signal });
  }
  options.progress?.('ingress answering on ' + cluster.ingressUrl);
}

/** The probe test workload's image, preloaded in the node image. */
export async function probeImage(): Promise<string> {
  return `mip-verify.local/probe:${await toolsImageTag()}`;
}
