// The prerequisites `mip-verify doctor` looks for: where each program is, its version, and how to get
// it when it is missing. Programs are looked up on the PATH given, never on this process's own.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { toError } from '../errors.ts';
import { runTool, type ToolOptions, type ToolResult } from '../exec.ts';

/** Runs a program to completion (lib/exec `runTool`; tests may replace it). */
export type RunFn = (command: string, args: readonly string[], options: ToolOptions) => Promise<ToolResult>;

/** One program a run needs. */
export interface ToolProbe {
  /** Name shown to the user. */
  readonly name: string;
  /** Program names looked up on PATH, or absolute paths, tried in order. */
  readonly candidates: readonly string[];
  /** Arguments that make the program print its version. */
  readonly versionArgs: readonly string[];
  /** Who needs it, e.g. `every run` or `sessions`. */
  readonly neededBy: string;
  /** How to get it, one sentence. */
  readonly hint: string;
  /** A second command that must succeed (docker: the daemon answers), with its own hint. */
  readonly service?: { readonly args: readonly string[]; readonly what: string; readonly hint: string };
}

/** What a probe found. */
export interface ProbeResult {
  /** The probe's name. */
  readonly name: string;
  /** Whether the program is there and working. */
  readonly ok: boolean;
  /** Where it was found. */
  readonly path?: string;
  /** Version it reported (plus the service's, when there is one). */
  readonly version?: string;
  /** What is wrong and what to do, when not ok. */
  readonly problem?: string;
  /** Who needs it. */
  readonly neededBy: string;
}

const BUILD_HINT = "run 'npx mip-verify image build' to build kind, helm, k6 and kubectl offline";

/** The programs a run may need, in the order doctor prints them. */
export function toolProbes(chromiumPaths: readonly string[]): ToolProbe[] {
  return [
    {
      name: 'docker',
      candidates: ['docker'],
      versionArgs: ['version', '--format', '{{.Client.Version}}'],
      neededBy: 'kind clusters',
      hint: 'apt-get install docker.io',
      service: {
        args: ['version', '--format', '{{.Server.Version}}'],
        what: 'the docker daemon does not answer',
        hint: 'start it (service docker start) and make sure this user may use /var/run/docker.sock',
      },
    },
    { name: 'kind', candidates: ['kind'], versionArgs: ['version'], neededBy: 'kind clusters', hint: BUILD_HINT },
    { name: 'kubectl', candidates: ['kubectl'], versionArgs: ['version', '--client'], neededBy: 'every run', hint: BUILD_HINT },
    { name: 'helm', candidates: ['helm'], versionArgs: ['version', '--short'], neededBy: 'every run', hint: BUILD_HINT },
    { name: 'k6', candidates: ['k6'], versionArgs: ['version'], neededBy: 'scaling', hint: BUILD_HINT },
    {
      name: 'chromium',
      candidates: [...chromiumPaths, 'chromium', 'chromium-browser'],
      versionArgs: ['--version'],
      neededBy: 'sessions',
      hint: 'apt-get install chromium',
    },
  ];
}

/** The first executable file among `candidates` (names searched on `path`, or absolute paths). */
export async function findExecutable(candidates: readonly string[], path: string): Promise<string | undefined> {
  const dirs = path.split(delimiter).filter((dir) => dir !== '');
  for (const candidate of candidates) {
    const places = isAbsolute(candidate) ? [candidate] : dirs.map((dir) => join(dir, candidate));
    for (const place of places) {
      if (await isExecutableFile(place)) return place;
    }
  }
  return undefined;
}

/** Where a probe looks and how it runs programs. */
export interface ProbeContext {
  /** Directories searched, joined as in PATH. */
  readonly path: string;
  /** Environment of the version commands (PATH is replaced by `path`). */
  readonly env: NodeJS.ProcessEnv;
  /** Runs the version commands; default lib/exec `runTool`. */
  readonly run?: RunFn;
}

/** Finds the probe's program on the context's path and asks it for its version. */
export async function runProbe(probe: ToolProbe, context: ProbeContext): Promise<ProbeResult> {
  const { name, neededBy } = probe;
  const run = context.run ?? runTool;
  const found = await findExecutable(probe.candidates, context.path);
  if (found === undefined) return { name, neededBy, ok: false, problem: `not found: ${probe.hint}` };
  const options: ToolOptions = { env: { ...definedOnly(context.env), PATH: context.path }, timeoutMs: 15_000 };
  let version: string;
  try {
    version = extractVersion((await run(found, probe.versionArgs, options)).stdout);
  } catch (error) {
    return {
      name,
      neededBy,
      ok: false,
      path: found,
      problem: `found but '${name} ${probe.versionArgs.join(' ')}' failed (${firstLine(error)}): ${probe.hint}`,
    };
  }
  if (probe.service) {
    try {
      const serviceVersion = extractVersion((await run(found, probe.service.args, options)).stdout);
      version = `${version} (daemon ${serviceVersion})`;
    } catch {
      return { name, neededBy, ok: false, path: found, version, problem: `${probe.service.what}: ${probe.service.hint}` };
    }
  }
  return { name, neededBy, ok: true, path: found, version };
}

/** Checks the Node.js version against what mip-verify needs (20.19 or newer). */
export function probeNode(version: string): ProbeResult {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  const problem = ok ? undefined : `version ${version} is too old: install Node.js 20.19 or newer`;
  return { name: 'node', neededBy: 'every run', ok, path: process.execPath, version, problem };
}

/** The version number in a program's output (`kind v0.27.0 go1.24` → `v0.27.0`). */
export function extractVersion(output: string): string {
  return /v?\d+(?:\.\d+)+(?:[-+][\w.]+)?/.exec(output)?.[0] ?? (output.trim().split('\n')[0] || 'unknown version');
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function firstLine(error: unknown): string {
  return toError(error).message.split('\n')[0] ?? 'failed';
}
