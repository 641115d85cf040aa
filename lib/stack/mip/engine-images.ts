// The images a run gives the real Exaflow chart when the user names none: those `image build
// --exaflow-source` built from the checkout the chart belongs to (`<checkout>/kubernetes`), found in the
// build record by the chart's path. A checkout changed since its build, or images gone from the local
// engine, are refused before anything is installed: the run would test other code than the chart's.
import { realpath } from 'node:fs/promises';
import { buildForChart, EXAFLOW_IMAGE_REPOSITORY, readBuilds, type ExaflowBuild } from '../../cluster/offline/exaflow-record.ts';
import { checkoutKey } from '../../cluster/offline/exaflow-source.ts';
import { ConfigError } from '../../errors.ts';
import { valueAt, type Values } from './values.ts';

/** The values naming the built images, and the report note saying where they came from. */
export interface EngineImages {
  /** `exaflow_images.repository` and `.version`. */
  readonly values: Values;
  /** One line for the report's notes. */
  readonly note: string;
  /** The build. */
  readonly build: ExaflowBuild;
}

/** Whether the local engine holds an image. */
export type ImagePresent = (ref: string) => Promise<boolean>;

/**
 * The built images for an Exaflow chart whose values name images by `exaflow_images` and whose user
 * values leave them unset; undefined when the chart is not part of a built checkout.
 */
export async function engineImagesFor(
  chart: { dir: string; defaults: Values; user: Values },
  cache: string,
  present: ImagePresent,
): Promise<EngineImages | undefined> {
  const { dir: chartDir, defaults, user } = chart;
  if (valueAt(defaults, 'exaflow_images') === undefined) return undefined;
  if (valueAt(user, 'exaflow_images') !== undefined || valueAt(user, 'exareme2_images') !== undefined) return undefined;
  const build = buildForChart(await readBuilds(cache), await realpath(chartDir).catch(() => chartDir));
  if (!build) return undefined;
  const rebuild = `Build them again: npx mip-verify image build --exaflow-source ${build.source}`;
  const now = await checkoutKey(build.source).catch(() => 'unreadable');
  if (now !== build.contents) {
    throw new ConfigError(
      `the Exaflow checkout ${build.source} changed since its images were built (${build.builtAt}), so they are not the code of chart ${chartDir}.`,
      rebuild,
    );
  }
  const missing: string[] = [];
  for (const ref of Object.values(build.images)) if (!(await present(ref))) missing.push(ref);
  if (missing.length > 0)
    throw new ConfigError(
      `the images built from the Exaflow checkout ${build.source} are gone from the local Docker engine (${missing.join(', ')}).`,
      rebuild,
    );
  return {
    values: { exaflow_images: { repository: EXAFLOW_IMAGE_REPOSITORY, version: build.key } },
    note: `Exaflow images built from the checkout ${build.source} by image build --exaflow-source (${build.builtAt}): ${Object.values(build.images).join(', ')}, given to the chart as exaflow_images; no image name was typed`,
    build,
  };
}
