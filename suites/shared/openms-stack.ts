// What the OpenMS suites share: the stack's driver (or a skip on other stacks), scaling a workload for
// the length of a suite, and running one workflow end to end and judging it by its result files and
// log markers as well as by RQ's status (upstream reports a failed workflow as RQ "finished").
import { expect } from 'chai';
import { deploymentReady, podsReady, type Harness } from '../../lib/suite.ts';
import { openmsDriver, OPENMS_LAYOUT, type OpenmsDriver } from '../../lib/drivers/openms.ts';
import { deploymentBySelector, scaleDeployment } from '../../lib/k8s/objects.ts';

export { OPENMS_LAYOUT, TERMINAL_STATES, workflowHasEnded, type OpenmsDriver, type WorkflowStatus } from '../../lib/drivers/openms.ts';
export { workflowProblems } from '../../lib/drivers/workflow-verdict.ts';
export { jobStarted, workersRegistered, workflowEnded, workflowsEnded } from '../../lib/drivers/openms-conditions.ts';

/** The driver of the OpenMS stack; on any other stack the calling check (`what`: "sessions suite") is skipped with the reason. */
export function openmsOnly(h: Harness, what: string): OpenmsDriver {
  if (h.stack.spec.name !== 'openms') h.skip(`the ${what} applies to the openms stack only, not to ${h.stack.spec.name}`);
  return openmsDriver(h.stack, h.kube);
}

/** Names of the Ready worker pods (the pods a finished job must have run on). */
export async function workerPodNames(h: Harness, driver: OpenmsDriver): Promise<string[]> {
  return (await driver.readyPods(OPENMS_LAYOUT.worker, h.signal)).map((pod) => pod.metadata?.name ?? '').filter(Boolean);
}

/** The Deployment behind a layout selector (e.g. the workers), with its replica count. */
export async function deploymentOf(h: Harness, selector: string): Promise<{ name: string; replicas: number }> {
  return deploymentBySelector(h.kube, h.stack.spec.namespace, selector, { signal: h.signal });
}

/**
 * Scales the Deployment behind `selector` to `replicas` and waits until they are Ready; returns the
 * action that puts the original count back (and waits for it), for the suite's `after` hook.
 */
export async function scaleFor(h: Harness, selector: string, replicas: number): Promise<() => Promise<void>> {
  const namespace = h.stack.spec.namespace;
  const { name, replicas: original } = await deploymentOf(h, selector);
  const setTo = async (count: number): Promise<void> => {
    await h.step(`deployment/${name} scaled to ${count}`, async () => {
      await scaleDeployment(h.kube, namespace, name, { replicas: count, signal: h.signal });
      await h.waitFor(deploymentReady(h.kube, namespace, name, count), { within: h.config.timeouts.ready });
      await h.waitFor(podsReady(h.kube, namespace, selector, count), { within: h.config.timeouts.ready });
    });
  };
  await setTo(replicas);
  let restored = false;
  return async () => {
    if (restored || original === replicas) return;
    restored = true;
    await setTo(original);
  };
}

/** A workspace with generated inputs and its workflow submitted. */
export interface SubmittedWorkflow {
  workspace: string;
  jobId: string;
  inputs: string[];
}

/** Creates a workspace, adds `inputs` generated mzML files (2 by default: feature linking needs more than one) and submits the workflow. */
export async function submitWorkflow(
  driver: OpenmsDriver,
  options: { inputs?: number; seed?: number; scans?: number; signal?: AbortSignal } = {},
): Promise<SubmittedWorkflow> {
  const workspace = await driver.createWorkspace({ signal: options.signal });
  const inputs = Array.from({ length: options.inputs ?? 2 }, (_, i) => `sample-${i + 1}.mzML`);
  for (const [i, name] of inputs.entries()) {
    await driver.addInput(workspace, { name, seed: (options.seed ?? 1) + i, scans: options.scans, signal: options.signal });
  }
  const jobId = await driver.submit(workspace, { signal: options.signal });
  return { workspace, jobId, inputs };
}

/** Fails the check with every problem in one message (`what`: the subject, e.g. "the cleanup Job"); passes on none. */
export function expectNoProblems(problems: readonly string[], what: string): void {
  if (problems.length > 0) expect.fail(`${what}: ${problems.join('; ')}`);
}
