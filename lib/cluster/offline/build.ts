// `mip-verify image build`: the kind node image, component images and tools, from package
// registries alone (Debian, the Go module proxy, PyPI). Every step is cached under a key of its
// inputs, checked against its real outputs, so a warm re-run only verifies.
import { mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../../errors.ts';
import { runTool, ToolError } from '../../exec.ts';
import { cacheDir } from '../../paths.ts';
import type { Progress } from '../../progress.ts';
import { planExaflowBuild } from './exaflow-build.ts';
import type { ExaflowBuild } from './exaflow-record.ts';
import { kitDir, localImageId, offlineNodeImage } from './kit.ts';
import { planSteps } from './plan.ts';
import { mipImageSteps, openmsImageSteps } from './stack-images.ts';
import { templateImageStep } from './template-image.ts';
import type { BuildPlan, BuildStep } from './types.ts';

export interface BuildOptions {
  /** Aborts the build (Ctrl-C); the running step's processes are killed. */
  signal: AbortSignal;
  progress: Progress;
  /** Environment: cache location (MIP_VERIFY_CACHE) and PATH. */
  env: NodeJS.ProcessEnv;
  /** Rebuild every step even when its outputs exist. */
  force?: boolean;
  /** A streamlit-template checkout whose own image is built too. */
  openmsSource?: string;
  /** An Exaflow checkout whose own images are built too (`--exaflow-source`). */
  exaflowSource?: string;
}

export interface BuildResult {
  /** The kind node image to pass to `kind create cluster --image`. */
  nodeImage: string;
  /** Wall time of the build. */
  ms: number;
  /** True when every step was already done. */
  cached: boolean;
  /** Images built from checkouts (e.g. --openms-source). */
  sourceImages: string[];
  /** The Exaflow images built from `exaflowSource`, when given. */
  exaflow?: ExaflowBuild;
}

/** Builds whatever is missing and returns the node image name. */
export async function buildOfflineImages(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  // A checkout that cannot be built is refused before any step runs.
  const exaflow =
    options.exaflowSource === undefined ? undefined : await planExaflowBuild(options.exaflowSource, cacheDir(options.env), kitDir);
  const plan: BuildPlan = await planSteps({ cache: cacheDir(options.env), kitDir, nodeImage: await offlineNodeImage() });
  plan.steps.push(...(await openmsImageSteps(kitDir)), ...(await mipImageSteps(kitDir)), ...(exaflow?.steps ?? []));
  const sourceImages: string[] = [];
  if (options.openmsSource) {
    const step = await templateImageStep(options.openmsSource, localImageId);
    plan.steps.push(step.step);
    sourceImages.push(step.image);
  }
  let ran = 0;
  for (const [index, step] of plan.steps.entries()) {
    const label = `[${index + 1}/${plan.steps.length}] ${step.title}`;
    if (!options.force && (await step.done())) {
      options.progress.done(`${label}: cached`);
      continue;
    }
    await runStep(step, label, options);
    ran += 1;
  }
  await linkTools(plan.tools, join(cacheDir(options.env), 'bin'));
  await pruneOldNodeImages(plan.nodeImage, options.progress);
  await pruneOldArchives(join(cacheDir(options.env), 'build'), plan.nodeImage);
  const built = await exaflow?.record();
  return {
    nodeImage: plan.nodeImage,
    ms: Math.round(performance.now() - started),
    cached: ran === 0,
    sourceImages,
    ...(built ? { exaflow: built } : {}),
  };
}

async function runStep(step: BuildStep, label: string, options: BuildOptions): Promise<void> {
  const started = performance.now();
  const [command, ...args] = step.command;
  options.progress.line(label);
  try {
    await runTool(command, args, {
      signal: options.signal,
      env: { ...stringEnv(options.env), ...step.env },
      onLine: (line) => options.progress.line(`${label}: ${line.slice(0, 160)}`),
    });
  } catch (error) {
    if (error instanceof ToolError && error.canceled)
      throw new HarnessError('interrupted', `Image build interrupted during '${step.title}'.`);
    const detail = error instanceof Error ? error.message : String(error);
    throw new HarnessError('tool', `Image build failed at step '${step.title}': ${detail}`, undefined, { cause: error });
  }
  if (!(await step.done())) throw new HarnessError('tool', `Image build step '${step.title}' finished but its outputs are missing.`);
  options.progress.done(`${label}: done in ${Math.round((performance.now() - started) / 1000)}s`);
}

async function linkTools(tools: Readonly<Record<string, string>>, binDir: string): Promise<void> {
  await mkdir(binDir, { recursive: true });
  for (const [name, target] of Object.entries(tools)) {
    const link = join(binDir, name);
    await rm(link, { force: true });
    await symlink(target, link);
  }
}

/** Earlier node images (about 1.5 GB each) are removed once a newer one is built. */
async function pruneOldNodeImages(current: string, progress: Progress): Promise<void> {
  const [repository] = current.split(':');
  const listed = await runTool('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}', repository ?? current]).catch(() => ({
    stdout: '',
  }));
  const old = listed.stdout.split('\n').filter((ref) => ref && ref !== current);
  if (old.length === 0) return;
  await runTool('docker', ['rmi', ...old]).catch(() => undefined);
  progress.done(`removed ${old.length} earlier node image(s)`);
}

/** Component archives of earlier kits (about 0.8 GB each). */
async function pruneOldArchives(buildDir: string, current: string): Promise<void> {
  const keep = `components-${current.split(':')[1] ?? ''}.tar`;
  const names = await readdir(buildDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => /^components-.*\.tar$/.test(n) && n !== keep)) await rm(join(buildDir, name), { force: true });
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
