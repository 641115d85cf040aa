// `mip-verify doctor`: every prerequisite found with its version, or what is missing and how to get it.
import { ExitCode } from '../errors.ts';
import { toolPath } from '../paths.ts';
import { probeNode, runProbe, toolProbes, type ProbeResult, type RunFn } from './probes.ts';

/** What doctor looks at; the CLI passes the process's values, tests pass their own. */
export interface DoctorOptions {
  /** Environment: PATH and the cache dir decide where tools are looked for. */
  readonly env: NodeJS.ProcessEnv;
  /** Version of the running Node.js (`process.version`). */
  readonly nodeVersion: string;
  /** Absolute places tried for Chromium before PATH; default `/usr/bin/chromium` (Debian's package). */
  readonly chromiumPaths?: readonly string[];
  /** Runs the version commands; default lib/exec `runTool`. */
  readonly run?: RunFn;
}

/** Doctor's findings and the exit code they mean. */
export interface DoctorReport {
  /** One result per prerequisite, in a fixed order. */
  readonly results: readonly ProbeResult[];
  /** Lines to print. */
  readonly lines: readonly string[];
  /** 0 when everything was found, 3 otherwise. */
  readonly exitCode: number;
}

/** Probes every prerequisite (concurrently) and formats the findings. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const path = toolPath(options.env);
  const probes = toolProbes(options.chromiumPaths ?? ['/usr/bin/chromium']);
  const results = [
    ...(await Promise.all(probes.map((probe) => runProbe(probe, { path, env: options.env, run: options.run })))),
    probeNode(options.nodeVersion),
  ];
  const missing = results.filter((result) => !result.ok);
  const lines = [...formatResults(results), ''];
  lines.push(
    missing.length === 0
      ? 'Everything mip-verify needs is here.'
      : `Missing or not working: ${missing.map((result) => result.name).join(', ')}. Fix these before a run.`,
  );
  return { results, lines, exitCode: missing.length === 0 ? ExitCode.passed : ExitCode.infrastructure };
}

/** One aligned line per result. */
export function formatResults(results: readonly ProbeResult[]): string[] {
  const width = Math.max(...results.map((result) => result.name.length));
  const versionWidth = Math.max(...results.map((result) => (result.ok ? (result.version ?? '').length : 0)));
  return results.map((result) => {
    const name = result.name.padEnd(width);
    if (result.ok) return `ok       ${name}  ${(result.version ?? '').padEnd(versionWidth)}  ${result.path ?? ''}`.trimEnd();
    const label = result.path === undefined ? 'MISSING' : 'BROKEN ';
    return `${label}  ${name}  needed by: ${result.neededBy}; ${result.problem ?? 'not working'}`;
  });
}
