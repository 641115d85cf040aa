// Named conditions on the OpenMS app, read through its driver: a workflow ended, its job taken by a worker,
// the RQ workers registered in Redis, every job of a batch ended.
import { ConditionFailedError, type Condition } from '../wait.ts';
import { workflowHasEnded, type OpenmsDriver, type RqWorker, type WorkflowStatus } from './openms.ts';

/** The workspace's workflow has ended (any RQ terminal state, or Redis no longer knows the job). */
export function workflowEnded(driver: Pick<OpenmsDriver, 'status'>, workspace: string, signalPod?: string): Condition<WorkflowStatus> {
  return {
    what: `the workflow of workspace ${workspace} to end`,
    check: async (signal) => {
      const status = await driver.status(workspace, { signal, pod: signalPod });
      const ended = workflowHasEnded(status);
      const step = status.current_step ? ` (${status.current_step})` : '';
      return { ok: ended, observed: `${status.status}${step}`, value: status };
    },
  };
}

/** The workspace's job is `started` on a worker; ending before that makes the wait fail at once. */
export function jobStarted(driver: Pick<OpenmsDriver, 'status'>, workspace: string): Condition<WorkflowStatus> {
  return {
    what: `the workflow of workspace ${workspace} to be started by a worker`,
    check: async (signal) => {
      const status = await driver.status(workspace, { signal });
      if (status.status === 'started' && status.worker) return { ok: true, observed: `started on ${status.worker}`, value: status };
      if (['finished', 'failed', 'canceled', 'stopped', 'unknown'].includes(status.status)) {
        const why = status.error ? `: ${lastLine(status.error)}` : '';
        throw new ConditionFailedError(
          `job ${status.job_id ?? '?'} of workspace ${workspace} ended '${status.status}' before it was seen started on a worker${why}`,
        );
      }
      return { ok: false, observed: status.status, value: status };
    },
  };
}

/** Every pod of `pods` has an RQ worker registered in Redis (on whatever queue). */
export function workersRegistered(driver: Pick<OpenmsDriver, 'workers'>, pods: readonly string[]): Condition<RqWorker[]> {
  return {
    what: `an RQ worker registered in Redis for each of ${pods.join(', ')}`,
    check: async (signal) => {
      const workers = await driver.workers({ signal });
      const registered = pods.filter((pod) => workers.some((worker) => worker.hostname === pod));
      return { ok: registered.length === pods.length, observed: `${registered.length}/${pods.length} registered`, value: workers };
    },
  };
}

/** Every one of `count` workflows, as `readAll` reads their statuses, has ended. */
export function workflowsEnded(readAll: (signal: AbortSignal) => Promise<WorkflowStatus[]>, count: number): Condition<WorkflowStatus[]> {
  return {
    what: `each of the ${count} jobs to end`,
    check: async (signal) => {
      const all = await readAll(signal);
      return { ok: all.every(workflowHasEnded), observed: `${all.filter(workflowHasEnded).length}/${all.length} ended`, value: all };
    },
  };
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).slice(-1)[0] ?? text;
}
