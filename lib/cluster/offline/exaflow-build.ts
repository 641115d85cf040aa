// `image build --exaflow-source DIR`: the real Exaflow engine's three images as steps appended to the
// offline build, each tagged with a key of the checkout's contents (and of the script building it), so a
// warm re-run only verifies; once built, the record says which checkout gave which images.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from '../../exec.ts';
import { localImageId } from './kit.ts';
import type { BuildStep } from './types.ts';
import { EXAFLOW_IMAGE_REPOSITORY, recordBuild, type ExaflowBuild } from './exaflow-record.ts';
import { checkoutKey, findPython, readExaflowCheckout, type ExaflowCheckout, type ExaflowRole, type PyenvRoot } from './exaflow-source.ts';

/** The steps of an Exaflow build, and what to record once they are done. */
export interface ExaflowPlan {
  /** The checkout. */
  readonly checkout: ExaflowCheckout;
  /** Image reference per role. */
  readonly images: Readonly<Record<ExaflowRole, string>>;
  /** One step per image. */
  readonly steps: BuildStep[];
  /** Writes the record (with the images' sizes) and returns it; call after the steps succeeded. */
  record(): Promise<ExaflowBuild>;
}

/** `pyenv root` through the machine's pyenv; undefined when it has none. */
export const pyenvRoot: PyenvRoot = () =>
  runTool('pyenv', ['root']).then(
    (r) => r.stdout.trim() || undefined,
    () => undefined,
  );

/** Plans the build of a checkout's images; ConfigError (bad checkout) or HarnessError (no CPython) before anything is built. */
export async function planExaflowBuild(
  source: string,
  cache: string,
  kitDir: string,
  findRoot: PyenvRoot = pyenvRoot,
): Promise<ExaflowPlan> {
  const script = join(kitDir, 'exaflow-images.sh');
  const first = await readExaflowCheckout(source);
  const minors = [...new Set(first.roles.map((r) => r.python))];
  const prefixes = new Map<string, string>();
  for (const minor of minors) prefixes.set(minor, await findPython(minor, findRoot));
  // The images change with the script and the shared rootfs kit as much as with the checkout.
  const kit = await Promise.all([script, join(kitDir, '../../../fixtures/images/rootfs-kit.sh')].map((f) => readFile(f, 'utf8')));
  const key = await checkoutKey(first.dir, [...kit, ...prefixes.values()]);
  const checkout: ExaflowCheckout = { ...first, key };
  const dockerfiles = join(cache, 'exaflow', 'dockerfiles');
  await mkdir(dockerfiles, { recursive: true });
  const images = Object.fromEntries(checkout.roles.map((r) => [r.role, `${EXAFLOW_IMAGE_REPOSITORY}/${r.image}:${key}`])) as Record<
    ExaflowRole,
    string
  >;
  const steps: BuildStep[] = [];
  for (const recipe of checkout.roles) {
    const dockerfile = join(dockerfiles, `${key}-${recipe.role}.Dockerfile`);
    await writeFile(dockerfile, `${recipe.finalStage}\n`);
    const ref = images[recipe.role];
    steps.push({
      title: `Exaflow ${recipe.role.replace('_', ' ')} image (upstream's ${recipe.dockerfile}, poetry groups ${recipe.groups.join(', ')})`,
      done: async () => (await localImageId(ref)) !== '',
      command: [script, checkout.dir, prefixes.get(recipe.python) ?? '', recipe.groups.join(' '), dockerfile, ref],
    });
  }
  return {
    checkout,
    images,
    steps,
    record: async () => {
      const sizes: Partial<Record<ExaflowRole, number>> = {};
      for (const recipe of checkout.roles) sizes[recipe.role] = await imageSize(images[recipe.role]);
      const build: ExaflowBuild = { source: checkout.dir, contents: first.key, key, images, sizes, builtAt: new Date().toISOString() };
      await recordBuild(cache, build);
      return build;
    },
  };
}

async function imageSize(ref: string): Promise<number> {
  const answer = await runTool('docker', ['image', 'inspect', '--format', '{{.Size}}', ref]).catch(() => ({ stdout: '0' }));
  return Number(answer.stdout.trim()) || 0;
}
