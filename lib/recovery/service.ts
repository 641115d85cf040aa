// "The service answers again" means more than a health endpoint: one real workflow, submitted after the fault,
// runs to its result files on a worker. Submissions and status reads fail while the API, Redis or the web pod
// is down; they are repeated until one workflow succeeds or the trial's signal aborts.
import type { OpenmsDriver, WorkflowStatus } from '../drivers/openms.ts';
import { OPENMS_LAYOUT, workflowHasEnded } from '../drivers/openms.ts';
import { workflowProblems } from '../drivers/workflow-verdict.ts';
import { delay, withDeadline } from '../wait.ts';

/** Pause between status reads of the submitted workflow. */
export const STATUS_INTERVAL_MS = 2_000;
const CALL_MS = 30_000;

/** The workflow that showed the service answering. */
export interface ServiceAnswer {
  /** Its workspace. */
  workspace: string;
  /** Its final status. */
  status: WorkflowStatus;
  /** Gap between the status read that saw it end and the read before (ms): the precision of the moment. */
  precisionMs: number;
  /** Submissions it took. */
  attempts: number;
  /** What went wrong in the attempts before, most recent last (at most 5). */
  failures: string[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
}

async function call<T>(work: (signal: AbortSignal) => Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  return withDeadline(work, { within: CALL_MS, signal, what });
}

/** Submits one small workflow and reads its status until it ends; resolves with its status and the read's precision. */
async function oneWorkflow(driver: OpenmsDriver, signal: AbortSignal, intervalMs: number): Promise<{ workspace: string; status: WorkflowStatus; precisionMs: number; problems: string[] }> {
  const workspace = await call((s) => driver.createWorkspace({ signal: s }), signal, 'a workspace');
  await call((s) => driver.addInput(workspace, { name: 'sample-1.mzML', seed: 1, signal: s }), signal, 'an input file');
  await call((s) => driver.submit(workspace, { signal: s }), signal, 'the workflow submission');
  let previous = performance.now();
  for (;;) {
    await delay(intervalMs, signal);
    // A status read can fail while a pod or the API is away: keep reading (the trial's signal bounds it).
    const status = await call((s) => driver.status(workspace, { signal: s }), signal, 'the workflow status').catch(() => undefined);
    const now = performance.now();
    if (status && workflowHasEnded(status)) {
      const workers = (await call((s) => driver.readyPods(OPENMS_LAYOUT.worker, s), signal, 'the worker pods')).map((p) => p.metadata?.name ?? '');
      return { workspace, status, precisionMs: Math.max(1, Math.round(now - previous)), problems: workflowProblems(status, driver.expectedResults(['sample-1.mzML']), workers) };
    }
    previous = now;
  }
}

/** Runs workflows until one succeeds; `healthy()` must also hold (the health endpoint answers) for it to count. */
export async function serviceAnswers(
  driver: OpenmsDriver,
  healthy: () => boolean,
  options: { signal: AbortSignal; intervalMs?: number; failures?: string[] },
): Promise<ServiceAnswer> {
  const { signal, intervalMs = STATUS_INTERVAL_MS } = options;
  // The caller may hold the list, so a trial that never recovers can still say what went wrong.
  const failures = options.failures ?? [];
  for (let attempts = 1; ; attempts += 1) {
    const run = await oneWorkflow(driver, signal, intervalMs).catch((error: unknown) => {
      if (signal.aborted) throw error;
      return message(error);
    });
    if (typeof run !== 'string' && run.problems.length === 0) {
      while (!healthy()) await delay(intervalMs, signal);
      return { workspace: run.workspace, status: run.status, precisionMs: run.precisionMs, attempts, failures };
    }
    failures.push(typeof run === 'string' ? run : run.problems.join('; '));
    if (failures.length > 5) failures.shift();
    await delay(intervalMs, signal);
  }
}
