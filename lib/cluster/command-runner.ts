// How providers run programs: the environment tools get, and a runner for one microk8s host,
// either this machine or another one reached over SSH.
import { runTool, type ToolOptions, type ToolResult } from '../exec.ts';
import { toolPath } from '../paths.ts';

/** The signature of `runTool`, so tests can inject their own. */
export type RunToolFn = (command: string, args: readonly string[], options?: ToolOptions) => Promise<ToolResult>;

/** The program runner and the environment every program gets. */
export interface Tools {
  /** Runs one program (lib/exec `runTool` unless a test injects another). */
  readonly runTool: RunToolFn;
  /** Environment for every program: the caller's, with the built tools first on PATH. */
  readonly env: Record<string, string>;
}

/** Builds the tool context from the caller's environment. */
export function createTools(env: NodeJS.ProcessEnv, run: RunToolFn = runTool): Tools {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) clean[key] = value;
  clean.PATH = toolPath(env);
  return { runTool: run, env: clean };
}

/** Options of one command run through a CommandRunner. */
export interface RunOptions {
  /** Aborts the command (the child is killed). */
  signal: AbortSignal;
  /** Gives up after this long. */
  timeoutMs?: number;
  /** Text written to the command's stdin. */
  input?: string;
}

/** Runs commands on one host. */
export interface CommandRunner {
  /** Runs argv (program first) on the host; throws ToolError when it fails. */
  run(args: readonly string[], options: RunOptions): Promise<ToolResult>;
  /** Where commands run, for messages: `this machine` or `ssh user@host`. */
  readonly describe: string;
  /** The SSH destination, or undefined for this machine. */
  readonly host?: string;
}

/** A runner for this machine. */
export function localRunner(tools: Tools): CommandRunner {
  return {
    describe: 'this machine',
    run: ([command, ...args], options) => {
      if (command === undefined) throw new Error('CommandRunner.run needs a program');
      return tools.runTool(command, args, { ...options, env: tools.env });
    },
  };
}

/**
 * A runner for `host` over SSH. BatchMode makes a missing key fail at once instead of prompting,
 * and the remote shell joins argv, so each argument is quoted.
 */
export function sshRunner(host: string, tools: Tools): CommandRunner {
  return {
    describe: `ssh ${host}`,
    host,
    run: (args, options) => {
      const remote = args.map(shellQuote);
      const sshArgs = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', host, '--', ...remote];
      return tools.runTool('ssh', sshArgs, { ...options, env: tools.env });
    },
  };
}

/** Quotes one word for a POSIX shell, leaving plain words as they are. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
