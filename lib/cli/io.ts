// What a command may touch of the process: its output streams, its environment, its directory.

/** The process seen by a command (tests pass their own). */
export interface CliIO {
  /** Results and the configuration. */
  readonly stdout: NodeJS.WriteStream;
  /** Errors and progress. */
  readonly stderr: NodeJS.WriteStream;
  /** Environment (MIP_VERIFY_*, PATH, CI). */
  readonly env: NodeJS.ProcessEnv;
  /** Working directory relative paths are taken from. */
  readonly cwd: string;
}

/** The real process. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Writes one line. */
export function writeLine(stream: NodeJS.WritableStream, line: string): void {
  stream.write(`${line}\n`);
}

/** Whether the environment says this is CI (`CI=true`, `CI=1`). */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && !['', '0', 'false'].includes(env.CI.toLowerCase());
}
