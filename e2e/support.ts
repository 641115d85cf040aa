// Helpers of the end-to-end tests: the CLI as a user runs it, and plain HTTP through the ingress.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runTool } from '../lib/exec.ts';
import { cacheDir, projectRoot, toolPath } from '../lib/paths.ts';

const execFileAsync = promisify(execFile);

export const clusterName = 'mip-verify';
export const context = `kind-${clusterName}`;
export const kubeconfig = join(cacheDir(process.env), `kubeconfig-${clusterName}`);
export const ingress = 'http://127.0.0.1:18080';

/** Runs the CLI and returns its exit code and output; never throws on a non-zero exit. */
export async function cli(args: readonly string[], timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [join(projectRoot, 'bin/mip-verify.js'), ...args], {
      cwd: projectRoot,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, CI: 'true' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** GET through the API server's proxy to a pod port (works for images without a shell). */
/** A CLI run left running (for Ctrl-C tests): the child, its stdout and stderr so far, and its exit code. */
export interface RunningCli {
  /** The process, to signal. */
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output: () => string;
  /** Resolves with its exit code. */
  exited: Promise<number | null>;
}

/** Starts `mip-verify <args>` as a user would in CI, without waiting for it. */
export function startCli(args: readonly string[]): RunningCli {
  const child = spawn(process.execPath, [join(projectRoot, 'bin/mip-verify.js'), ...args], {
    cwd: projectRoot,
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function podGet(namespace: string, pod: string, path: string): Promise<string> {
  const raw = `/api/v1/namespaces/${namespace}/pods/${pod}:8080/proxy${path}`;
  const result = await runTool('kubectl', ['--kubeconfig', kubeconfig, '--context', context, 'get', '--raw', raw], {
    env: { PATH: toolPath(process.env) },
    timeoutMs: 20_000,
  });
  return result.stdout;
}

/** Docker objects left by a kind cluster of this name. */
export async function leftovers(name: string = clusterName): Promise<string[]> {
  const found: string[] = [];
  const containers = await runTool('docker', ['ps', '-a', '--filter', `label=io.x-k8s.kind.cluster=${name}`, '--format', '{{.Names}}']);
  found.push(...lines(containers.stdout).map((c) => `container ${c}`));
  const networks = await runTool('docker', ['network', 'ls', '--filter', 'name=^kind$', '--format', '{{.Name}}']);
  found.push(...lines(networks.stdout).map((n) => `network ${n}`));
  const volumes = await runTool('docker', ['volume', 'ls', '--filter', 'dangling=true', '--format', '{{.Name}}']);
  found.push(...lines(volumes.stdout).map((v) => `volume ${v}`));
  return found;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}
