// `mip-verify doctor`: prerequisites with versions, and what is missing and how to get it.
import { runDoctor } from '../../doctor/doctor.ts';
import { writeLine, type CliIO } from '../io.ts';

/** Prints doctor's findings; exit 3 when anything is missing. */
export async function doctorCommand(io: CliIO): Promise<number> {
  const report = await runDoctor({ env: io.env, nodeVersion: process.version });
  for (const line of report.lines) writeLine(io.stdout, line);
  return report.exitCode;
}
