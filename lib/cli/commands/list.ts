// `mip-verify list`: the suites, one line each.
import { SUITES } from '../../config/suites.ts';
import { writeLine, type CliIO } from '../io.ts';

/** Prints every suite with its one-line description; always exit 0. */
export function listCommand(io: CliIO): number {
  const width = Math.max(...SUITES.map((suite) => suite.name.length));
  for (const suite of SUITES) writeLine(io.stdout, `${suite.name.padEnd(width)}  ${suite.description}`);
  return 0;
}
