// The errors a user can see, and the exit code each maps to (PRODUCT.md §1).
import { constants } from 'node:os';

/** What went wrong, which decides the exit code. */
export type HarnessErrorKind = 'config' | 'prerequisite' | 'tool' | 'provision' | 'deploy' | 'timeout' | 'interrupted';

/** Exit codes of the command line. */
export const ExitCode = {
  passed: 0,
  checksFailed: 1,
  usage: 2,
  infrastructure: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A known failure: printed as its message (plus hint) without a stack trace. */
export class HarnessError extends Error {
  constructor(
    readonly kind: HarnessErrorKind,
    message: string,
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'HarnessError';
  }
}

/** Bad flags, environment or config file: exit 2, nothing touched. */
export class ConfigError extends HarnessError {
  constructor(message: string, hint?: string) {
    super('config', message, hint);
    this.name = 'ConfigError';
  }
}

/** The signals a run tears down on. */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** The run was stopped by a signal: exit 128 + its number (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP), as shells report it. */
export class InterruptedError extends HarnessError {
  constructor(
    readonly signalName: StopSignal,
    message: string,
  ) {
    super('interrupted', message);
    this.name = 'InterruptedError';
  }

  /** 128 + the signal's number. */
  get exitCode(): number {
    return 128 + constants.signals[this.signalName];
  }
}

/** The exit code for an error that ended the run. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof InterruptedError) return error.exitCode;
  if (!(error instanceof HarnessError)) return ExitCode.infrastructure;
  switch (error.kind) {
    case 'config':
      return ExitCode.usage;
    case 'interrupted':
      return ExitCode.interrupted;
    case 'prerequisite':
    case 'tool':
    case 'provision':
    case 'deploy':
    case 'timeout':
      return ExitCode.infrastructure;
  }
}

/** Any thrown value as an Error. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** A known error as the user reads it: its sentence, then its hint as a sentence of its own on the same line. */
export function formatKnownError(error: HarnessError): string {
  if (!error.hint) return error.message;
  // A tool's error (command, stderr) spans lines: its hint goes below.
  if (error.message.includes('\n')) return `${error.message}\n${error.hint}`;
  return `${asSentence(error.message)} ${asSentence(error.hint.charAt(0).toUpperCase() + error.hint.slice(1))}`;
}

function asSentence(text: string): string {
  const trimmed = text.trimEnd();
  if (/[.!?]$/.test(trimmed)) return trimmed;
  return `${trimmed.replace(/[:;,]$/, '')}.`;
}
