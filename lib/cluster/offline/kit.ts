// The offline kit on disk: where its scripts live, the files that key the node image, and the local
// Docker engine's view of the images the build steps produce.
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runTool } from '../../exec.ts';
import { cacheKey } from './cache-key.ts';
import { nodePackages, slimPackages, versions } from './versions.ts';

/** This folder: the kit's scripts and files, and the anchor of every cache key's file names. */
export const kitDir: string = fileURLToPath(new URL('.', import.meta.url));

/** Files whose contents decide the node image key. */
const kitFiles = [
  'build-kubernetes.sh',
  'build-go-tools.sh',
  'coredns/main.go',
  'fetch-traefik.sh',
  'images/pause.c',
  'rootfs.sh',
  'component-images.sh',
  'node-image.sh',
  'node/entrypoint',
  'node/kubelet.service',
  'node/10-kubeadm.conf',
  'node/kubelet.slice',
  'node/kubelet-default',
  'node/containerd-config.toml',
  'node/sysctl.conf',
  'manifests/default-cni.yaml',
  'tools/route-syncer',
  'tools/shared-volume-provisioner',
  '../../../fixtures/images/probe/main.go',
];

/**
 * How plan.ts puts the node image together from these files (the steps' order, arguments and environment).
 * Raise it when that changes: the source text is not part of the key, so tidying the planning code never
 * costs a rebuild.
 */
const NODE_RECIPE = 1;

/** Everything besides the files that decides the node image: the recipe, the versions and the packages. */
const nodeKeyParts = [`recipe ${NODE_RECIPE}`, JSON.stringify(versions), ...nodePackages, ...slimPackages];

/** Tag of the kit's own images (cluster tools, probe): a key of the scripts they carry. */
export function toolsImageTag(): Promise<string> {
  return cacheKey(kitDir, [], ['tools/route-syncer', 'tools/shared-volume-provisioner']);
}

/** The local Docker engine's id of an image, or '' when it has none of that name. */
export async function localImageId(ref: string): Promise<string> {
  return runTool('docker', ['image', 'inspect', '--format', '{{.Id}}', ref]).then(
    (r) => r.stdout.trim(),
    () => '',
  );
}

/** The node image name for the current kit, without building anything. */
export async function offlineNodeImage(): Promise<string> {
  return `mip-verify.local/kind-node:${await cacheKey(kitDir, nodeKeyParts, kitFiles)}`;
}

/** True when a path exists. */
export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
