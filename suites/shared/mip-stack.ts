// What the MIP suites share: the stack's driver (or a skip on other stacks), the datasets each worker
// node was given, the condition "the controller shows them where they are", and one descriptive-
// statistics experiment through the backend judged against statistics computed from the CSV files.
import { resolve } from 'node:path';
import type { Harness } from '../../lib/suite.ts';
import { projectRoot } from '../../lib/paths.ts';
import { mipDriver, type MipDriver } from '../../lib/drivers/mip.ts';
import type { DataPlacement } from '../../lib/exaflow/placement.ts';

export { MIP_LAYOUT, type Experiment, type MipDriver } from '../../lib/drivers/mip.ts';
export { answerProblems, controllerRequest, experimentProblems, statisticsExperiment } from '../../lib/exaflow/experiment.ts';
export { datasetsListed, datasetsWherePlaced, experimentEnded } from '../../lib/drivers/mip-conditions.ts';

/** The driver of the MIP stack; on any other stack the calling check is skipped with the reason. */
export function mipOnly(h: Harness, what: string): MipDriver {
  if (h.stack.spec.name !== 'mip') h.skip(`the ${what} applies to the mip stack only, not to ${h.stack.spec.name}`);
  return mipDriver(h.stack, h.kube);
}

/** Words for the web backend in titles: the reference one is mip-verify's own stand-in for platform-backend, and the report says so. */
export function backendWords(h: Harness): string {
  const web =
    h.stack.spec.charts?.find((c) => c.role === 'web') ??
    h.skip('the stack has no web chart, so there is no backend to submit an experiment through');
  return resolve(web.chart) === resolve(projectRoot, 'fixtures', 'stacks', 'mip', 'web')
    ? "the reference web backend (mip-verify's stand-in for platform-backend)"
    : 'the web backend';
}

/** The data the run placed; a skip naming why when it placed none (managed mode, claims). */
export function placedData(h: Harness): DataPlacement {
  return (
    h.stack.data ??
    h.skip(
      'the run placed no data on the worker nodes (the local workers read theirs from volume claims), so it cannot say which datasets each must show',
    )
  );
}

/** One line per worker the controller lists datasets on: `the controller lists on w1: edsd0, ppmi0 (dementia:0.1)`. */
export function listedPerWorker(locations: Record<string, Record<string, string>>): string[] {
  const byWorker = new Map<string, string[]>();
  for (const [model, datasets] of Object.entries(locations)) {
    for (const [dataset, worker] of Object.entries(datasets))
      byWorker.set(worker, [...(byWorker.get(worker) ?? []), `${dataset} (${model})`]);
  }
  return [...byWorker]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([worker, held]) => `the controller lists on ${worker}: ${held.sort().join(', ')}`);
}
