// `mip-verify run` (the default command): resolve the configuration, print it, run the pipeline.
import { formatConfig } from '../../config/print.ts';
import type { RunConfig } from '../../config/types.ts';
import { writeLine, type CliIO } from '../io.ts';
import { watchInterrupts } from '../signals.ts';
import { loadRunConfig } from './options.ts';

/** Runs the suites; returns the run's exit code. Bad settings throw before anything is created. */
export async function runCommand(argv: Readonly<Record<string, unknown>>, io: CliIO): Promise<number> {
  const config = await loadRunConfig(argv, io, true);
  printConfig(config, io);
  // Loaded only now, so that `--help`, `list` and bad flags answer without loading the Kubernetes client.
  const { executeRun } = await import('../../run/run.ts');
  const interrupts = watchInterrupts({ write: (line) => writeLine(io.stderr, line) });
  try {
    return await executeRun(config, {
      out: (line) => writeLine(io.stdout, line),
      err: (line) => writeLine(io.stderr, line),
      signal: interrupts.signal,
      isTTY: Boolean(io.stdout.isTTY),
    });
  } finally {
    interrupts.dispose();
  }
}

/** Prints the effective configuration, one line per setting. */
export function printConfig(config: RunConfig, io: CliIO): void {
  writeLine(io.stdout, 'Configuration:');
  for (const line of formatConfig(config)) writeLine(io.stdout, line);
}
