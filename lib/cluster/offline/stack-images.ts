// The reference stacks' images as build steps: each built by `fixtures/images/<dir>/build.sh`, tagged
// by a hash of that folder's files and aliased (`latest` for OpenMS, as its manifests name them;
// `reference` for MIP, the tag the reference charts name, since a `latest` tag would make the kubelet
// try to pull). Kept out of plan.ts, whose contents key the node image: changing a stack image must not
// rebuild the node image.
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { localImageId } from './kit.ts';
import type { BuildStep } from './types.ts';
import { cacheKey } from './cache-key.ts';

/** Image names of the reference MIP stack, as the Exaflow and MIP web charts name them. */
const MIP_IMAGES: readonly { dir: string; name: string; flags: string[] }[] = [
  { dir: 'mip-exaflow', name: 'exaflow_controller', flags: ['--role', 'controller'] },
  { dir: 'mip-exaflow', name: 'exaflow_worker', flags: ['--role', 'worker'] },
  { dir: 'mip-exaflow', name: 'exaflow_aggregation_server', flags: ['--role', 'aggregation'] },
  { dir: 'mip-web', name: 'platform-backend', flags: ['--target', 'backend'] },
  { dir: 'mip-web', name: 'postgres', flags: ['--target', 'postgres'] },
  { dir: 'mip-web', name: 'platform-ui', flags: ['--target', 'ui'] },
];

/** The reference OpenMS images: the app (Streamlit, RQ, TOPP tools) and Redis. */
const OPENMS_IMAGES: readonly { name: string; flags: string[] }[] = [
  { name: 'openms-app', flags: [] },
  { name: 'redis', flags: ['--redis'] },
];

/** The tag every reference MIP image is aliased as. */
export const MIP_REFERENCE_TAG = 'reference';

/** The build steps of the reference OpenMS images (`kitDir` anchors the cache key's file names). */
export async function openmsImageSteps(kitDir: string): Promise<BuildStep[]> {
  const dir = join(kitDir, '../../../fixtures/images/openms');
  const key = await cacheKey(kitDir, [], await folderFiles(kitDir, dir));
  return OPENMS_IMAGES.map((image) =>
    imageStep(`reference OpenMS stack: ${image.name} image`, join(dir, 'build.sh'), image.flags, {
      ref: `mip-verify.local/${image.name}:${key}`,
      alias: `mip-verify.local/${image.name}:latest`,
    }),
  );
}

/** The build steps of the reference MIP images (`kitDir` anchors the cache key's file names). */
export async function mipImageSteps(kitDir: string): Promise<BuildStep[]> {
  const imagesDir = join(kitDir, '../../../fixtures/images');
  return Promise.all(
    MIP_IMAGES.map(async (image): Promise<BuildStep> => {
      const key = await cacheKey(kitDir, image.flags, await folderFiles(kitDir, join(imagesDir, image.dir)));
      return imageStep(`reference MIP stack: ${image.name} image`, join(imagesDir, image.dir, 'build.sh'), image.flags, {
        ref: `mip-verify.local/${image.name}:${key}`,
        alias: `mip-verify.local/${image.name}:${MIP_REFERENCE_TAG}`,
      });
    }),
  );
}

/** The files of an image folder (and the shared rootfs kit), relative to `kitDir`, sorted. */
async function folderFiles(kitDir: string, dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.parentPath.includes('__pycache__'))
    .map((e) => relative(kitDir, join(e.parentPath, e.name)))
    .sort()
    .concat(relative(kitDir, join(dir, '../rootfs-kit.sh')));
}

/** A step that runs `script flags ref` and tags the result `alias`; done when both name one image. */
function imageStep(title: string, script: string, flags: readonly string[], tags: { ref: string; alias: string }): BuildStep {
  return {
    title,
    done: async () => {
      const [a, b] = await Promise.all([localImageId(tags.ref), localImageId(tags.alias)]);
      return a !== '' && a === b;
    },
    command: ['sh', '-c', '"$1" $2 "$3" && docker tag "$3" "$4"', title, script, flags.join(' '), tags.ref, tags.alias],
  };
}
