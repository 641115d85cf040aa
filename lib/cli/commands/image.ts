// `mip-verify image build`: the offline kind node image and stack images, from package registries.
import { exaflowLines } from '../../cluster/offline/exaflow-record.ts';
import { ConfigError } from '../../errors.ts';
import { createProgress } from '../../progress.ts';
import { formatDuration } from '../../wait.ts';
import { isCI, writeLine, type CliIO } from '../io.ts';
import { watchInterrupts } from '../signals.ts';

/** Builds (or finds cached) the offline images. */
export async function imageCommand(action: string, force: boolean, io: CliIO, exaflowSource?: string): Promise<number> {
  if (action !== 'build') throw new ConfigError(`Unknown image action '${action}': use 'mip-verify image build'.`);
  // Loaded on demand: the build kit is only needed here.
  const build = await import('../../cluster/offline/build.ts');
  const progress = createProgress(io.stderr, { ci: isCI(io.env) });
  const interrupts = watchInterrupts({ write: (line) => writeLine(io.stderr, line) });
  try {
    const result = await build.buildOfflineImages({ signal: interrupts.signal, progress, env: io.env, force, ...(exaflowSource === undefined ? {} : { exaflowSource }) });
    progress.done(`node image ${result.nodeImage} ${result.cached ? 'found in the cache' : `built in ${formatDuration(result.ms)}`}`);
    if (result.exaflow) for (const line of exaflowLines(result.exaflow)) progress.done(line);
    writeLine(io.stdout, result.nodeImage);
    return 0;
  } finally {
    interrupts.dispose();
  }
}
