// `mip-verify image build`: the offline kind node image and stack images, from package registries;
// with --openms-source, also the OpenMS streamlit-template's own image from a checkout, and with
// --exaflow-source the real Exaflow images from an Exaflow checkout.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { exaflowLines } from '../../cluster/offline/exaflow-record.ts';
import { ConfigError } from '../../errors.ts';
import { createProgress } from '../../progress.ts';
import { checkoutGaps, describeMissingScripts, missingScripts } from '../../stack/openms-checkout.ts';
import { formatDuration } from '../../wait.ts';
import { isCI, writeLine, type CliIO } from '../io.ts';
import { watchInterrupts } from '../signals.ts';

/** What `image build` was asked for. */
export interface ImageOptions {
  /** Rebuild even what is cached. */
  force: boolean;
  /** A streamlit-template checkout to build the app's own image from. */
  openmsSource?: string;
  /** An Exaflow checkout to build the controller, worker and aggregation-server images from. */
  exaflowSource?: string;
}

/** Builds (or finds cached) the offline images. */
export async function imageCommand(action: string, options: ImageOptions, io: CliIO): Promise<number> {
  if (action !== 'build') throw new ConfigError(`Unknown image action '${action}': use 'mip-verify image build'.`);
  const openmsSource = options.openmsSource === undefined ? undefined : await templateCheckout(options.openmsSource);
  const gaps = openmsSource === undefined ? undefined : describeMissingScripts(openmsSource, await missingScripts(openmsSource));
  if (gaps) writeLine(io.stderr, `warning: ${gaps}`);
  // Loaded on demand: the build kit is only needed here.
  const build = await import('../../cluster/offline/build.ts');
  const progress = createProgress(io.stderr, { ci: isCI(io.env) });
  const interrupts = watchInterrupts({ write: (line) => writeLine(io.stderr, line) });
  try {
    const result = await build.buildOfflineImages({
      signal: interrupts.signal,
      progress,
      env: io.env,
      force: options.force,
      openmsSource,
      ...(options.exaflowSource === undefined ? {} : { exaflowSource: options.exaflowSource }),
    });
    progress.done(`node image ${result.nodeImage} ${result.cached ? 'found in the cache' : `built in ${formatDuration(result.ms)}`}`);
    if (result.exaflow) for (const line of exaflowLines(result.exaflow)) progress.done(line);
    writeLine(io.stdout, result.nodeImage);
    for (const image of result.sourceImages) writeLine(io.stdout, image);
    return 0;
  } finally {
    interrupts.dispose();
  }
}

/** The checkout's absolute path; ConfigError naming what it lacks when it is not a template checkout. */
async function templateCheckout(path: string): Promise<string> {
  const dir = resolve(path);
  if (
    !(await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    throw new ConfigError(`--openms-source '${path}' is not a directory:`, 'pass a checkout of the OpenMS streamlit-template repository.');
  }
  const gaps = await checkoutGaps(dir);
  if (gaps.length > 0) {
    throw new ConfigError(
      `--openms-source '${path}' is not an OpenMS streamlit-template checkout: it lacks ${gaps.join(', ')};`,
      'pass the root of a checkout of github.com/OpenMS/streamlit-template.',
    );
  }
  return dir;
}
