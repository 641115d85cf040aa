// Runs external tools (kind, helm, kubectl, k6) without a shell. Every child is tracked so that an abort, a
// timeout or the end of the run can stop it; failures become ToolErrors that read like execa's.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { HarnessError } from './errors.ts';
import { formatDuration } from './wait.ts';

/** What a tool printed and how it ended. */
export interface ToolResult {
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
  /** Exit code (0 for a result; ToolError carries the others). */
  exitCode: number;
}

/** How to run a tool. */
export interface ToolOptions {
  /** Stops the tool: SIGTERM, then SIGKILL after 2 s; the call rejects with a canceled ToolError. */
  signal?: AbortSignal;
  /** Stops the tool the same way after this many ms; the call rejects with a timed-out ToolError. */
  timeoutMs?: number;
  /** Written to the tool's stdin, which is then closed. */
  input?: string;
  /** Variables set on top of the inherited environment. */
  env?: Record<string, string>;
  /** Working directory. */
  cwd?: string;
  /** Receives each line of stdout and stderr as it arrives (progress). */
  onLine?: (line: string) => void;
  /** Secrets replaced by `***` in error messages, error fields and `onLine` lines. */
  redact?: readonly string[];
}

/** How a tool run failed. */
export interface ToolFailure {
  /** The command line as run (secrets redacted). */
  command: string;
  /** Exit code; 127 when not found, 128+n when killed by signal n. */
  exitCode: number;
  /** Whether `timeoutMs` ran out. */
  timedOut: boolean;
  /** Whether the signal aborted the tool. */
  canceled: boolean;
  /** The tool's stdout (redacted). */
  stdout: string;
  /** The tool's stderr (redacted). */
  stderr: string;
}

/** A tool could not be started, failed, timed out or was canceled. */
export class ToolError extends HarnessError implements ToolFailure {
  readonly command: string;
  readonly exitCode: number;
  readonly timedOut: boolean;
  readonly canceled: boolean;
  readonly stdout: string;
  readonly stderr: string;

  constructor(message: string, failure: ToolFailure, options?: ErrorOptions & { hint?: string }) {
    super('tool', message, options?.hint, options);
    this.name = 'ToolError';
    this.command = failure.command;
    this.exitCode = failure.exitCode;
    this.timedOut = failure.timedOut;
    this.canceled = failure.canceled;
    this.stdout = failure.stdout;
    this.stderr = failure.stderr;
  }
}

const KILL_AFTER_MS = 2_000;
const STDERR_TAIL_LINES = 20;
const live = new Set<ChildProcess>();

// Children run in their own process group so that a kill also reaches what they started (kind → docker).
function signalTree(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    child.kill(signal);
  }
}

/** Kills every child still running (call at exit so none outlives the run); returns how many there were. */
export function killAllChildren(): number {
  const count = live.size;
  for (const child of live) signalTree(child, 'SIGKILL');
  live.clear();
  return count;
}

/** The command line as a user would type it, arguments quoted where a shell needs it. */
export function formatCommand(command: string, args: readonly string[]): string {
  const quote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`);
  return [command, ...args].map(quote).join(' ');
}

function redactor(secrets: readonly string[] = []): (text: string) => string {
  const present = secrets.filter((secret) => secret.length > 0);
  return (text) => present.reduce((acc, secret) => acc.replaceAll(secret, '***'), text);
}

/** Collects a stream and hands complete lines to `onLine`; the returned function flushes and returns all text. */
function collect(stream: Readable | null, onLine?: (line: string) => void): () => string {
  const chunks: string[] = [];
  const decoder = new StringDecoder('utf8');
  let partial = '';
  const deliver = (line: string): void => {
    // A broken progress printer must not break the tool run.
    try {
      onLine?.(line.replace(/\r$/, ''));
    } catch {
      /* ignored on purpose */
    }
  };
  const take = (text: string): void => {
    chunks.push(text);
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    lines.forEach(deliver);
  };
  stream?.on('data', (chunk: Buffer) => take(decoder.write(chunk)));
  return () => {
    take(decoder.end());
    if (partial !== '') deliver(partial);
    partial = '';
    return chunks.join('');
  };
}

interface Ending {
  code: number | null;
  signal: NodeJS.Signals | null;
  stopped?: 'timedOut' | 'canceled';
  spawnError?: NodeJS.ErrnoException;
}

/** A tool that is not installed is a missing prerequisite (exit 3), whatever its caller was doing: throws that, else returns. */
export function throwIfMissingTool(error: unknown): void {
  if (!(error instanceof ToolError) || error.exitCode !== 127) return;
  const tool = /^(\S+) was not found on PATH/.exec(error.message)?.[1];
  if (tool === undefined) return;
  throw new HarnessError(
    'prerequisite',
    `${tool} was not found on PATH.`,
    'Run `npx mip-verify image build`, which provides kind, helm, k6 and kubectl, or install it.',
    { cause: error },
  );
}

function reasonFor(command: string, end: Ending, options: ToolOptions): { reason: string; exitCode: number } {
  const exitCode = end.code ?? (end.signal ? 128 + (constants.signals[end.signal] ?? 0) : -1);
  if (end.spawnError?.code === 'ENOENT') return { reason: `${command} was not found on PATH`, exitCode: 127 };
  if (end.spawnError) return { reason: `${command} could not be started: ${end.spawnError.message}`, exitCode: 126 };
  if (end.stopped === 'timedOut') return { reason: `${command} timed out after ${formatDuration(options.timeoutMs ?? 0)}`, exitCode };
  if (end.stopped === 'canceled') return { reason: `${command} was canceled`, exitCode };
  if (end.signal) return { reason: `${command} was killed by ${end.signal}`, exitCode };
  return { reason: `${command} exited with code ${exitCode}`, exitCode };
}

function toolError(command: string, args: readonly string[], end: Ending, output: ToolResult & { options: ToolOptions }): ToolError {
  const clean = redactor(output.options.redact);
  const { reason, exitCode } = reasonFor(command, end, output.options);
  const line = clean(formatCommand(command, args));
  const tail = output.stderr
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-STDERR_TAIL_LINES);
  const message = clean([reason, `$ ${line}`, ...tail].join('\n'));
  const failure: ToolFailure = {
    command: line,
    exitCode,
    timedOut: end.stopped === 'timedOut',
    canceled: end.stopped === 'canceled',
    stdout: clean(output.stdout),
    stderr: clean(output.stderr),
  };
  const hint = exitCode === 127 ? `Install ${command} or put it on PATH; \`mip-verify doctor\` lists what is missing.` : undefined;
  const cause: unknown = end.stopped === 'canceled' ? output.options.signal?.reason : end.spawnError;
  return new ToolError(message, failure, { hint, cause });
}

/** Runs a tool to completion; resolves on exit code 0, otherwise rejects with a ToolError. */
export async function runTool(command: string, args: readonly string[], options: ToolOptions = {}): Promise<ToolResult> {
  const empty = { stdout: '', stderr: '', exitCode: -1, options };
  if (options.signal?.aborted) throw toolError(command, args, { code: null, signal: null, stopped: 'canceled' }, empty);
  const clean = redactor(options.redact);
  const onLine = options.onLine && ((line: string): void => options.onLine?.(clean(line)));
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  live.add(child);
  const stdout = collect(child.stdout, onLine);
  const stderr = collect(child.stderr, onLine);
  const end = await supervise(child, options);
  live.delete(child);
  const result = { stdout: stdout(), stderr: stderr(), exitCode: end.code ?? -1 };
  if (end.code === 0 && !end.stopped && !end.spawnError) return result;
  throw toolError(command, args, end, { ...result, options });
}

/** Feeds stdin, enforces the timeout and the signal, and resolves once the child and its pipes are closed. */
function supervise(child: ChildProcess, options: ToolOptions): Promise<Ending> {
  return new Promise<Ending>((resolve) => {
    let stopped: Ending['stopped'];
    let spawnError: NodeJS.ErrnoException | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    // Not waits: these timers end the child (its budget, then SIGKILL after SIGTERM); nothing is polled.
    const stop = (why: 'timedOut' | 'canceled'): void => {
      if (stopped) return;
      stopped = why;
      signalTree(child, 'SIGTERM');
      killTimer = setTimeout(() => signalTree(child, 'SIGKILL'), KILL_AFTER_MS);
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timedOut'), options.timeoutMs);
    const onAbort = (): void => stop('canceled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error: NodeJS.ErrnoException) => (spawnError = error));
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code: spawnError ? null : code, signal, stopped, spawnError });
    });
    if (options.input !== undefined && child.stdin) {
      // A tool that exits without reading its input closes the pipe (EPIPE); its exit code tells the story.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}
