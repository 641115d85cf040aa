// "The service answers again" means more than a health endpoint: one real piece of work through the stack
// (see probe.ts), submitted after the fault, ends correctly. Attempts fail while the API, a pod or the
// ingress is down; they are repeated until one succeeds or the trial's signal aborts.
import { delay, withDeadline } from '../wait.ts';
import type { ServiceProbe } from './probe.ts';
import type { Scenario } from './scenarios.ts';

/** Pause between status reads of the submitted work. */
export const STATUS_INTERVAL_MS = 2_000;
const CALL_MS = 30_000;

/** The attempt that showed the service answering. */
export interface ServiceAnswer {
  /** What ran (workspace, experiment). */
  id: string;
  /** Gap between the read that saw it end and the read before (ms): the precision of the moment. */
  precisionMs: number;
  /** Attempts it took. */
  attempts: number;
  /** What went wrong in the attempts before, most recent last (at most 5). */
  failures: string[];
}

function message(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
}

/** One call of a probe, bounded so a hung connection does not hold the trial. */
export async function call<T>(work: (signal: AbortSignal) => Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  return withDeadline(work, { within: CALL_MS, signal, what });
}

/** Runs the probe until one attempt succeeds; `healthy()` must also hold (the health endpoint answers) for it to count. */
export async function serviceAnswers(
  probe: ServiceProbe,
  scenario: Scenario,
  options: { healthy: () => boolean; signal: AbortSignal; intervalMs?: number; failures?: string[] },
): Promise<ServiceAnswer> {
  const { signal, healthy, intervalMs = STATUS_INTERVAL_MS } = options;
  // The caller may hold the list, so a trial that never recovers can still say what went wrong.
  const failures = options.failures ?? [];
  for (let attempts = 1; ; attempts += 1) {
    const run = await probe.once(scenario, { signal, intervalMs }).catch((error: unknown) => {
      if (signal.aborted) throw error;
      return message(error);
    });
    if (typeof run !== 'string' && run.problems.length === 0) {
      while (!healthy()) await delay(intervalMs, signal);
      return { id: run.id, precisionMs: run.precisionMs, attempts, failures };
    }
    failures.push(typeof run === 'string' ? run : run.problems.join('; '));
    if (failures.length > 5) failures.shift();
    await delay(intervalMs, signal);
  }
}
