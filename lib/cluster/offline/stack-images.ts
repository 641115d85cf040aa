// The reference MIP stack's images as build steps: each built by `fixtures/images/<dir>/build.sh`, tagged
// by a hash of that folder's files and aliased `reference`, the tag the reference charts name (a
// `latest` tag would make the kubelet try to pull). Kept out of plan.ts, whose contents key the node
// image: changing a stack image must not rebuild the node image.
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { BuildStep } from './build.ts';
import { localImageId } from './build.ts';
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

/** The tag every reference MIP image is aliased as. */
export const MIP_REFERENCE_TAG = 'reference';

/** The build steps of the reference MIP images (`kitDir` anchors the cache key's file names). */
export async function mipImageSteps(kitDir: string): Promise<BuildStep[]> {
  const imagesDir = join(kitDir, '../../../fixtures/images');
  return Promise.all(MIP_IMAGES.map(async (image): Promise<BuildStep> => {
    const entries = await readdir(join(imagesDir, image.dir), { recursive: true, withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile() && !e.parentPath.includes('__pycache__'))
      .map((e) => relative(kitDir, join(e.parentPath, e.name)))
      .sort()
      .concat(relative(kitDir, join(imagesDir, 'rootfs-kit.sh')));
    const ref = `mip-verify.local/${image.name}:${await cacheKey(kitDir, image.flags, files)}`;
    const alias = `mip-verify.local/${image.name}:${MIP_REFERENCE_TAG}`;
    return {
      title: `reference MIP stack: ${image.name} image`,
      done: async () => {
        const [a, b] = await Promise.all([localImageId(ref), localImageId(alias)]);
        return a !== '' && a === b;
      },
      command: ['sh', '-c', '"$1" $2 "$3" && docker tag "$3" "$4"', image.name, join(imagesDir, image.dir, 'build.sh'), image.flags.join(' '), ref, alias],
    };
  }));
}
