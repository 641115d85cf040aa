// The record of Exaflow images built from checkouts (`<cache>/exaflow/images.json`): which checkout, under
// which key of its contents, gave which image references. A run given the chart of such a checkout
// (`<checkout>/kubernetes`) finds its images here, so the user names no image.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { ExaflowRole } from './exaflow-source.ts';

/** Where the images of every build live, and the tag they share. */
export const EXAFLOW_IMAGE_REPOSITORY = 'mip-verify.local';

/** One build from one checkout. */
export interface ExaflowBuild {
  /** The checkout (absolute, symlinks resolved). */
  readonly source: string;
  /** Key of its contents when built (checkoutKey). */
  readonly contents: string;
  /** The images' tag: a key of the contents, the build script and the CPython used. */
  readonly key: string;
  /** Image reference per role. */
  readonly images: Readonly<Record<ExaflowRole, string>>;
  /** Image size in bytes per role, as the local engine reported it. */
  readonly sizes: Readonly<Partial<Record<ExaflowRole, number>>>;
  /** ISO time of the build. */
  readonly builtAt: string;
}

interface RecordFile {
  readonly version: 1;
  readonly builds: readonly ExaflowBuild[];
}

/** The record's path in a cache directory. */
export function recordPath(cache: string): string {
  return join(cache, 'exaflow', 'images.json');
}

/** Every build recorded (none when there is no record or it cannot be read). */
export async function readBuilds(cache: string): Promise<ExaflowBuild[]> {
  try {
    const parsed = JSON.parse(await readFile(recordPath(cache), 'utf8')) as Partial<RecordFile>;
    const builds: readonly ExaflowBuild[] = Array.isArray(parsed.builds) ? parsed.builds : [];
    return [...builds];
  } catch {
    return [];
  }
}

/** Records a build, replacing any earlier one of the same checkout. */
export async function recordBuild(cache: string, build: ExaflowBuild): Promise<void> {
  const builds = (await readBuilds(cache)).filter((b) => b.source !== build.source);
  const path = recordPath(cache);
  await mkdir(dirname(path), { recursive: true });
  const body: RecordFile = { version: 1, builds: [...builds, build] };
  await writeFile(`${path}.tmp`, `${JSON.stringify(body, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

/** The build of the checkout holding `chartDir` (absolute, symlinks resolved), if any. */
export function buildForChart(builds: readonly ExaflowBuild[], chartDir: string): ExaflowBuild | undefined {
  return builds.filter((b) => chartDir.startsWith(`${b.source}${sep}`)).sort((a, b) => b.source.length - a.source.length)[0];
}

/** One line per image of a build: its reference and size, for the build's closing lines. */
export function exaflowLines(build: ExaflowBuild): string[] {
  return Object.entries(build.images).map(([role, ref]) => {
    const size = build.sizes[role as ExaflowRole];
    return `Exaflow ${role.replace('_', ' ')}: ${ref}${size ? ` (${Math.round(size / 1e6)} MB)` : ''}, from ${build.source}`;
  });
}
