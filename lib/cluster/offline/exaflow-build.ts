// `image build --exaflow-source DIR`: the real Exaflow engine's three images as steps appended to the
// offline build, each tagged with a key of the checkout's contents (and of the script building it), so a
// warm re-run only verifies; once built, the record says which checkout gave which images.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from '../../exec.ts';
import { localImageId } from './kit.ts';
import type { BuildStep } from './types.ts';
import { EXAFLOW_IMAGE_REPOSITORY, recordBuild, type ExaflowBuild } from './exaflow-record.ts';
import {
  checkoutKey,
  exaflowContextFiles,
  findPython,
  readExaflowCheckout,
  type ExaflowCheckout,
  type ExaflowRole,
  type PyenvRoot,
} from './exaflow-source.ts';
import { checkoutIdentity, imageLabels, labelsName, sourceLabels } from '../../stack/source-identity.ts';

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
  const { contents, checkout, prefixes } = await keyedCheckout(source, kitDir, script, findRoot);
  const dockerfiles = join(cache, 'exaflow', 'dockerfiles');
  await mkdir(dockerfiles, { recursive: true });
  const images = Object.fromEntries(
    checkout.roles.map((r) => [r.role, `${EXAFLOW_IMAGE_REPOSITORY}/${r.image}:${checkout.key}`]),
  ) as Record<ExaflowRole, string>;
  const steps = await imageSteps({ checkout, images, prefixes, script, dockerfiles });
  return { checkout, images, steps, record: () => recordImages(cache, checkout, contents, images) };
}

/** The checkout, keyed by its contents, the build script, the shared rootfs kit and the CPython prefixes it needs. */
async function keyedCheckout(
  source: string,
  kitDir: string,
  script: string,
  findRoot: PyenvRoot,
): Promise<{ contents: string; checkout: ExaflowCheckout; prefixes: Map<string, string> }> {
  const first = await readExaflowCheckout(source);
  const minors = [...new Set(first.roles.map((r) => r.python))];
  const prefixes = new Map<string, string>();
  for (const minor of minors) prefixes.set(minor, await findPython(minor, findRoot));
  // The images change with the script and the shared rootfs kit as much as with the checkout.
  const kit = await Promise.all([script, join(kitDir, '../../../fixtures/images/rootfs-kit.sh')].map((f) => readFile(f, 'utf8')));
  const key = await checkoutKey(first.dir, [...kit, ...prefixes.values()]);
  return { contents: first.key, checkout: { ...first, key }, prefixes };
}

/** What the image steps are made of. */
interface StepInputs {
  readonly checkout: ExaflowCheckout;
  readonly images: Readonly<Record<ExaflowRole, string>>;
  /** CPython prefix per minor version. */
  readonly prefixes: ReadonlyMap<string, string>;
  readonly script: string;
  /** Where each role's final-stage Dockerfile is written. */
  readonly dockerfiles: string;
}

/** One step per role, its Dockerfile (the recipe's final stage) written beforehand. */
async function imageSteps({ checkout, images, prefixes, script, dockerfiles }: StepInputs): Promise<BuildStep[]> {
  // Every image carries the checkout's identity as labels; one without them (or naming another commit) is built again.
  const identity = await checkoutIdentity(checkout.dir, await exaflowContextFiles(checkout.dir));
  const steps: BuildStep[] = [];
  for (const recipe of checkout.roles) {
    const dockerfile = join(dockerfiles, `${checkout.key}-${recipe.role}.Dockerfile`);
    await writeFile(dockerfile, `${recipe.finalStage}\n`);
    const ref = images[recipe.role];
    steps.push({
      title: `Exaflow ${recipe.role.replace('_', ' ')} image (upstream's ${recipe.dockerfile}, poetry groups ${recipe.groups.join(', ')})`,
      done: async () => (await localImageId(ref)) !== '' && labelsName(await imageLabels(ref), identity),
      command: [
        script,
        checkout.dir,
        prefixes.get(recipe.python) ?? '',
        recipe.groups.join(' '),
        dockerfile,
        ref,
        ...sourceLabels(identity),
      ],
    });
  }
  return steps;
}

/** Writes the record of a finished build, with the images' sizes. */
async function recordImages(
  cache: string,
  checkout: ExaflowCheckout,
  contents: string,
  images: Readonly<Record<ExaflowRole, string>>,
): Promise<ExaflowBuild> {
  const sizes: Partial<Record<ExaflowRole, number>> = {};
  for (const recipe of checkout.roles) sizes[recipe.role] = await imageSize(images[recipe.role]);
  const build: ExaflowBuild = { source: checkout.dir, contents, key: checkout.key, images, sizes, builtAt: new Date().toISOString() };
  await recordBuild(cache, build);
  return build;
}

async function imageSize(ref: string): Promise<number> {
  const answer = await runTool('docker', ['image', 'inspect', '--format', '{{.Size}}', ref]).catch(() => ({ stdout: '0' }));
  return Number(answer.stdout.trim()) || 0;
}
