// "The service answers again" means more than a health endpoint: one real piece of work through the stack
// (see probe.ts), submitted after the fault, ends correctly. Attempts fail while the API, a pod or the
// ingress is down; they are repeated, one interval apart, until one succeeds or the trial's signal aborts.
import { waitFor, withDeadline, type Condition, type WaitListener } from '../wait.ts';
import type { ProbeRun, ServiceProbe } from './probe.ts';
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

/** How `serviceAnswers` runs: what must hold besides the probe, what stops it, and where it reports. */
export interface ServiceWait {
  /** Whether the health endpoint answers now; it must, for an answer to count. */
  healthy: () => boolean;
  /** Ends the wait (the trial is over); until then the service may answer at any time. */
  signal: AbortSignal;
  /** Pause between attempts and between status reads, ms (default STATUS_INTERVAL_MS): fixed, as it bounds the precision. */
  intervalMs?: number;
  /** Held by the caller, so a trial that never recovers can still say what went wrong. */
  failures?: string[];
  /** Told of each failed attempt and of the outcome (the running check's waits). */
  listener?: WaitListener;
}

/** Runs the probe until one attempt succeeds; `healthy()` must also hold (the health endpoint answers) for it to count. */
export async function serviceAnswers(probe: ServiceProbe, scenario: Scenario, options: ServiceWait): Promise<ServiceAnswer> {
  const answered = await waitFor(serviceAnswering(probe, scenario, options), {
    // Only the trial's end (its signal) bounds the wait: the service may answer at any moment before it.
    within: Infinity,
    signal: options.signal,
    interval: options.intervalMs ?? STATUS_INTERVAL_MS,
    fixedInterval: true,
    listener: options.listener,
  });
  if (!answered.value) throw new Error('the service answered without a run to show for it');
  return answered.value;
}

/** One probe attempt per check until one succeeds; from then on only the health endpoint is looked at. */
function serviceAnswering(probe: ServiceProbe, scenario: Scenario, options: ServiceWait): Condition<ServiceAnswer> {
  const failures = options.failures ?? [];
  const intervalMs = options.intervalMs ?? STATUS_INTERVAL_MS;
  let attempts = 0;
  let answer: ProbeRun | undefined;
  const attempt = async (signal: AbortSignal): Promise<string | ProbeRun> => {
    attempts += 1;
    const run = await probe.once(scenario, { signal, intervalMs, listener: options.listener }).catch((error: unknown) => {
      if (signal.aborted) throw error;
      return message(error);
    });
    if (typeof run !== 'string' && run.problems.length === 0) return run;
    failures.push(typeof run === 'string' ? run : run.problems.join('; '));
    if (failures.length > 5) failures.shift();
    return failures.at(-1) ?? '';
  };
  return {
    what: `the service to answer again (${probe.what})`,
    check: async (signal) => {
      if (!answer) {
        const run = await attempt(signal);
        if (typeof run === 'string') return { ok: false, observed: run };
        answer = run;
      }
      if (!options.healthy()) return { ok: false, observed: `${answer.id} answered; the health endpoint not yet` };
      const value = { id: answer.id, precisionMs: answer.precisionMs, attempts, failures };
      return { ok: true, observed: `${answer.id} answered at attempt ${attempts}`, value };
    },
  };
}
