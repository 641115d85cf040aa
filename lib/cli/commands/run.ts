// `mip-verify run` (the default command): resolve the configuration, print it, run the pipeline.
import { formatConfig } from '../../config/print.ts';
import { createSecretStore } from '../../report/redact.ts';
import type { RunConfig } from '../../config/types.ts';
import { writeLine, type CliIO } from '../io.ts';
import { watchInterrupts } from '../signals.ts';
import { loadRunConfig } from './options.ts';

/** Runs the suites; returns the run's exit code. Bad settings throw before anything is created. */
export async function runCommand(argv: Readonly<Record<string, unknown>>, io: CliIO): Promise<number> {
  const config = await loadRunConfig(argv, io, true);
  // Every line the run prints goes through the run's secret store (URL credentials, tokens, Secret data).
  const secrets = createSecretStore();
  const out = (line: string): void => writeLine(io.stdout, secrets.text(line));
  const err = (line: string): void => writeLine(io.stderr, secrets.text(line));
  printConfig(config, out);
  // Loaded only now, so that `--help`, `list` and bad flags answer without loading the Kubernetes client.
  const { executeRun } = await import('../../run/run.ts');
  const interrupts = watchInterrupts({ write: err });
  try {
    return await executeRun(config, { out, err, signal: interrupts.signal, isTTY: Boolean(io.stdout.isTTY), secrets });
  } finally {
    interrupts.dispose();
  }
}

/** Prints the effective configuration, one line per setting. */
export function printConfig(config: RunConfig, out: (line: string) => void): void {
  out('Configuration:');
  for (const line of formatConfig(config)) out(line);
}
