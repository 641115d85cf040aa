// What "the service answers again" means for a stack, and where its workers run: one real piece of work
// through the stack (an OpenMS workflow to its result files, a MIP federated experiment to statistics that
// match the CSV files), tried once per call. service.ts repeats it until it succeeds.
import type { WaitListener } from '../wait.ts';
import type { Scenario } from './scenarios.ts';

/** One attempt of a probe. */
export interface ProbeRun {
  /** What was run (workspace, experiment id), for the report. */
  readonly id: string;
  /** Gap between the read that saw it end and the read before (ms): the precision of the moment. */
  readonly precisionMs: number;
  /** What is wrong with its outcome; empty when the service answered correctly. */
  readonly problems: string[];
}

/** A stack's service probe. */
export interface ServiceProbe {
  /** What one answer is, for titles ("one TOPP workflow on a worker"). */
  readonly what: string;
  /** The health path of the stack's web entry point, through the ingress. */
  readonly healthPath: string;
  /** Nodes running the stack's workers now (the default target of a worker fault). */
  workerNodes(signal: AbortSignal): Promise<string[]>;
  /** One attempt; rejects when a call fails (the API, a pod or the ingress away). Its waits go to `listener`. */
  once(scenario: Scenario, options: { signal: AbortSignal; intervalMs: number; listener?: WaitListener }): Promise<ProbeRun>;
}
