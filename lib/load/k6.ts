// Runs the k6 binary (the one `mip-verify image build` put in the cache, else the one on PATH) and reads
// its end-of-test summary. k6 runs offline: no usage report, no REST API port; the script only talks to
// the address it is given.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runTool, ToolError, type ToolOptions, type ToolResult } from '../exec.ts';
import { toolPath } from '../paths.ts';
import { parseK6Summary, type K6Summary } from './k6-summary.ts';

export type { K6Summary, K6Trend } from './k6-summary.ts';

/** The k6 script that submits workflows through the gateway and polls each until it ends. */
export const WORKFLOW_SCRIPT: string = fileURLToPath(new URL('./k6-script.mjs', import.meta.url));

/** k6's exit code when thresholds were crossed: the run itself worked and its summary is complete. */
export const THRESHOLDS_CROSSED_EXIT = 99;

/** A k6 run. */
export interface K6Options {
  /** Path of the script. */
  script: string;
  /** Where k6 writes its summary (`--summary-export`). */
  summaryPath: string;
  /** Script variables (`-e KEY=VALUE`, read as `__ENV.KEY`). */
  vars: Readonly<Record<string, string>>;
  /** Stops k6. */
  signal?: AbortSignal;
  /** Stops k6 after this long (a backstop above the script's own max duration). */
  timeoutMs?: number;
  /** Environment k6 is looked up in (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Runs the program (lib/exec `runTool` unless a test injects another). */
  runTool?: (command: string, args: readonly string[], options?: ToolOptions) => Promise<ToolResult>;
}

/** How a k6 run went. */
export interface K6Result {
  /** The summary k6 exported. */
  summary: K6Summary;
  /** 0, or 99 when thresholds were crossed. */
  exitCode: number;
  /** The last lines k6 printed on stderr (its log: console output, threshold messages). */
  logTail: string[];
}

/** The command-line arguments of a k6 run. */
export function k6Args(options: Pick<K6Options, 'script' | 'summaryPath' | 'vars'>): string[] {
  const vars = Object.entries(options.vars).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
  // --address '' turns off k6's REST API (it would take port 6565 and collide with a parallel run).
  return [
    'run',
    '--no-usage-report',
    '--address',
    '',
    '--quiet',
    '--no-color',
    '--summary-export',
    options.summaryPath,
    ...vars,
    options.script,
  ];
}

/** Runs k6 and reads its summary; a run whose thresholds were crossed is a result, any other failure throws. */
export async function runK6(options: K6Options): Promise<K6Result> {
  const run = options.runTool ?? runTool;
  const env = { PATH: toolPath(options.env ?? process.env) };
  let outcome: { exitCode: number; stderr: string };
  try {
    const result = await run('k6', k6Args(options), { signal: options.signal, timeoutMs: options.timeoutMs, env });
    outcome = { exitCode: result.exitCode, stderr: result.stderr };
  } catch (error) {
    if (!(error instanceof ToolError) || error.exitCode !== THRESHOLDS_CROSSED_EXIT) throw error;
    outcome = { exitCode: error.exitCode, stderr: error.stderr };
  }
  const text = await readFile(options.summaryPath, 'utf8').catch((error: unknown) => {
    throw new Error(`k6 exited with code ${outcome.exitCode} but wrote no summary to ${options.summaryPath}: ${String(error)}`);
  });
  const logTail = outcome.stderr
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-20);
  return { summary: parseK6Summary(text), exitCode: outcome.exitCode, logTail };
}
