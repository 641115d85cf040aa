// The command line: yargs parses, the commands run, and every error becomes one line and an exit
// code (2 usage, 3 infrastructure, 130 interrupted); only unexpected errors show a stack.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs, { type Argv } from 'yargs';
import { ConfigError, ExitCode, HarnessError, exitCodeFor, formatKnownError, toError } from '../errors.ts';
import { projectRoot } from '../paths.ts';
import { clusterCommand } from './commands/cluster.ts';
import { doctorCommand } from './commands/doctor.ts';
import { imageCommand } from './commands/image.ts';
import { listCommand } from './commands/list.ts';
import { clusterOptions, runOptions } from './commands/options.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { processIO, writeLine, type CliIO } from './io.ts';

const USAGE_HINT = "Run 'mip-verify --help' for usage.";

const EPILOG =
  'Every flag can also be set as MIP_VERIFY_<FLAG> (e.g. MIP_VERIFY_TRIALS=5) or in the config file ' +
  '(camelCase keys, e.g. reportDir). Precedence: flag, environment, config file, default.\n' +
  'Exit codes: 0 every check passed, 1 a check failed, 2 usage or configuration error, ' +
  '3 infrastructure or prerequisite failure, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM), 129 hung up (SIGHUP).';

/** Runs the command line `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let exitCode: number = ExitCode.passed;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  try {
    let output = '';
    // With a parse callback yargs hands back --help/--version text instead of printing and exiting.
    await buildParser(io, setExit).parseAsync(joinNegativeValues(argv), {}, (_error, _argv, text) => {
      output = text;
    });
    if (output !== '') writeLine(io.stdout, output);
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

/**
 * `--slo -5m` would reach yargs as the short flags -5 and -m ("Unknown arguments: 5, m"): a value that
 * starts with a minus and a digit is joined to its flag, so the flag's own check names it.
 */
export function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    if (/^--[a-z][\w-]*$/.test(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** Records the exit code a command ended with. */
type SetExit = (code: number) => void;

/** The parser: every command, then what they share (strict flags, help, version, one-line failures). */
function buildParser(io: CliIO, setExit: SetExit): Argv {
  const base = yargs().scriptName('mip-verify').usage('$0 [run] --suite <name>[,<name>...]|all [options]');
  return addToolCommands(addRunCommands(base, io, setExit), io, setExit)
    .strict()
    .help()
    .alias('help', 'h')
    .version(packageVersion())
    .epilog(EPILOG)
    .wrap(Math.min(110, io.stdout.columns ?? 100))
    .fail((message, error) => {
      // yargs' own complaints (unknown flag, missing argument) become one line, not a usage dump.
      throw error ?? new ConfigError(`${message.replace(/\s*\n\s*/g, ' ').replace(/\.?$/, '.')} ${USAGE_HINT}`);
    });
}

/** The commands of a run and its cluster: run (the default), list, doctor, cluster. */
function addRunCommands(parser: Argv, io: CliIO, setExit: SetExit): Argv {
  return parser
    .command(
      ['run', '$0'],
      'Create or attach to a cluster, deploy the stack, run the suites, write the reports',
      (y) => y.options({ ...runOptions, ...clusterOptions }),
      async (args) => setExit(await runCommand(args, io)),
    )
    .command(
      'list',
      'List the suites, one line each',
      (y) => y,
      () => setExit(listCommand(io)),
    )
    .command(
      'doctor',
      'Check the prerequisites: versions found, what is missing and how to get it',
      (y) => y,
      async () => setExit(await doctorCommand(io)),
    )
    .command(
      'cluster <action>',
      'The cluster on its own: up, down or status',
      (y) => y.positional('action', { type: 'string', describe: 'up, down or status', demandOption: true }).options(clusterOptions),
      async (args) => setExit(await clusterCommand(args.action, args, io)),
    );
}

/** The commands around runs: image build and report rebuild. */
function addToolCommands(parser: Argv, io: CliIO, setExit: SetExit): Argv {
  return parser
    .command(
      'image <action>',
      'image build: the offline node image and stack images, from package registries only',
      (y) =>
        y.positional('action', { type: 'string', describe: 'build', demandOption: true }).options({
          force: { type: 'boolean', describe: 'Rebuild even when cached' },
          'openms-source': { type: 'string', describe: "Also build the OpenMS streamlit-template's own image from this checkout" },
          'exaflow-source': {
            type: 'string',
            describe: 'Also build the real Exaflow images from this checkout (needs CPython 3.10, e.g. from pyenv)',
          },
        }),
      async (args) =>
        setExit(
          await imageCommand(
            args.action,
            { force: args.force === true, openmsSource: args.openmsSource, exaflowSource: args.exaflowSource },
            io,
          ),
        ),
    )
    .command(
      'report <run-dir>',
      'Rebuild report.json, junit.xml and index.html from a run folder',
      (y) => y.positional('run-dir', { type: 'string', describe: 'The run folder (reports/<run-id>)', demandOption: true }),
      async (args) => setExit(await reportCommand(args.runDir, io)),
    );
}

/** What to print for an error that ended a command, and the exit code it means. */
export function describeFailure(error: unknown): { text: string; exitCode: number } {
  if (error instanceof HarnessError) return { text: formatKnownError(error), exitCode: exitCodeFor(error) };
  // Not a failure we know: the stack is what a bug report needs.
  return { text: toError(error).stack ?? String(error), exitCode: ExitCode.infrastructure };
}

function reportError(error: unknown, io: CliIO): number {
  const { text, exitCode } = describeFailure(error);
  writeLine(io.stderr, text);
  return exitCode;
}

function packageVersion(): string {
  const data = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof data.version === 'string' ? data.version : '0.0.0';
}
