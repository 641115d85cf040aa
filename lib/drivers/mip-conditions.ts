// Named conditions on the MIP stack, read through its driver: the controller listing datasets (where they
// were placed, or at all), and an experiment finished.
import { expectedLocations, type DataPlacement } from '../exaflow/placement.ts';
import type { Condition } from '../wait.ts';
import type { Experiment, MipDriver } from './mip.ts';

/** The controller lists (`present`) or no longer lists (`!present`) any of `datasets` of a data model. */
export function datasetsListed(
  driver: Pick<MipDriver, 'datasetLocations'>,
  model: string,
  datasets: readonly string[],
  present: boolean,
): Condition<string[]> {
  return {
    what: `the controller to ${present ? 'list' : 'stop listing'} ${datasets.join(', ')} of ${model}`,
    check: async (signal) => {
      const listed = Object.keys((await driver.datasetLocations(signal))[model] ?? {});
      const shown = datasets.filter((d) => listed.includes(d));
      const ok = present ? shown.length === datasets.length : shown.length === 0;
      return { ok, observed: shown.length === 0 ? 'none listed' : `listed: ${shown.join(', ')}`, value: shown };
    },
  };
}

/** The controller lists every placed dataset, on the worker of the node that holds it. */
export function datasetsWherePlaced(
  driver: Pick<MipDriver, 'datasetLocations'>,
  placement: DataPlacement,
): Condition<Record<string, Record<string, string>>> {
  const expected = expectedLocations(placement);
  return {
    what: 'the controller to list every dataset on the worker of the node that holds it',
    check: async (signal) => {
      const locations = await driver.datasetLocations(signal);
      const problems = locationProblems(expected, locations);
      return {
        ok: problems.length === 0,
        observed: problems.length === 0 ? 'all listed' : problems.slice(0, 4).join('; '),
        value: locations,
      };
    },
  };
}

/** Each dataset that is not where it was placed, in words. */
export function locationProblems(
  expected: Record<string, Record<string, string>>,
  actual: Record<string, Record<string, string>>,
): string[] {
  const problems: string[] = [];
  const byNode = new Map<string, string[]>();
  for (const [model, datasets] of Object.entries(expected)) {
    for (const [dataset, node] of Object.entries(datasets)) {
      const at = actual[model]?.[dataset];
      if (at === node) continue;
      if (at === undefined) byNode.set(node, [...(byNode.get(node) ?? []), `${dataset} (${model})`]);
      else problems.push(`${dataset} (${model}) is listed on ${at}, but was placed on ${node}`);
    }
  }
  for (const [node, missing] of byNode) problems.unshift(`the worker on ${node} does not show ${missing.join(', ')}, placed on that node`);
  return problems;
}

/** The experiment has left `pending`. */
export function experimentEnded(driver: Pick<MipDriver, 'experiment'>, uuid: string): Condition<Experiment> {
  return {
    what: `experiment ${uuid} to finish`,
    check: async (signal) => {
      const experiment = await driver.experiment(uuid, signal);
      return { ok: experiment.status !== 'pending', observed: experiment.status, value: experiment };
    },
  };
}
