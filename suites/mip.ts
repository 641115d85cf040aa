// What the MIP suites share: the stack's driver (or a skip on other stacks), the datasets each worker
// node was given, the condition "the controller shows them where they are", and one descriptive-
// statistics experiment through the backend judged against statistics computed from the CSV files.
import type { Condition, Harness } from '../lib/suite.ts';
import { mipDriver, type Experiment, type MipDriver } from '../lib/drivers/mip.ts';
import { allVariables, modelId } from '../lib/mip/data.ts';
import { expectedLocations, type DataPlacement } from '../lib/mip/placement.ts';
import { compareDescriptive, expectedDescriptive, type ExpectedEntry } from '../lib/mip/stats.ts';

export { MIP_LAYOUT, type Experiment, type MipDriver } from '../lib/drivers/mip.ts';

/** How long one experiment may take, from submission to a final status. */
export const EXPERIMENT_BUDGET = '3m';

/** The driver of the MIP stack; on any other stack the calling check is skipped with the reason. */
export function mipOnly(h: Harness, what: string): MipDriver {
  if (h.stack.spec.name !== 'mip') h.skip(`the ${what} applies to the mip stack only, not to ${h.stack.spec.name}`);
  return mipDriver(h.stack, h.kube);
}

/** The data the run placed; a skip naming why when it placed none (managed mode, claims). */
export function placedData(h: Harness): DataPlacement {
  return h.stack.data ?? h.skip('the run placed no data on the worker nodes (the local workers read theirs from volume claims), so it cannot say which datasets each must show');
}

/** The controller lists every placed dataset, on the worker of the node that holds it. */
export function datasetsWherePlaced(driver: MipDriver, placement: DataPlacement): Condition<Record<string, Record<string, string>>> {
  const expected = expectedLocations(placement);
  return {
    what: 'the controller to list every dataset on the worker of the node that holds it',
    check: async (signal) => {
      const locations = await driver.datasetLocations(signal);
      const problems = locationProblems(expected, locations);
      return { ok: problems.length === 0, observed: problems.length === 0 ? 'all listed' : problems.slice(0, 4).join('; '), value: locations };
    },
  };
}

/** Each dataset that is not where it was placed, in words. */
export function locationProblems(expected: Record<string, Record<string, string>>, actual: Record<string, Record<string, string>>): string[] {
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

/** The experiment the checks run: descriptive statistics of every numerical variable of the first data model, over all its datasets. */
export function statisticsExperiment(placement: DataPlacement, name: string): { body: unknown; expected: ExpectedEntry[]; model: string; datasets: string[] } {
  const model = placement.data.models[0];
  if (!model) throw new Error('the placed data holds no data model');
  const id = modelId(model);
  const datasets = placement.nodes.flatMap((n) => n.models.filter((m) => m.id === id).flatMap((m) => m.datasets)).sort();
  const variables = allVariables(model.metadata).filter((v) => !v.isCategorical).map((v) => v.code);
  const body = {
    name,
    algorithm: { name: 'descriptive_stats', inputdata: { data_model: id, datasets, x: [], y: variables, filters: null }, parameters: {}, preprocessing: {} },
  };
  return { body, expected: expectedDescriptive(placement.data, id, datasets, variables), model: id, datasets };
}

/** The experiment has left `pending`. */
export function experimentEnded(driver: MipDriver, uuid: string): Condition<Experiment> {
  return {
    what: `experiment ${uuid} to finish`,
    check: async (signal) => {
      const experiment = await driver.experiment(uuid, signal);
      return { ok: experiment.status !== 'pending', observed: experiment.status, value: experiment };
    },
  };
}

/** What is wrong with a finished experiment's result, judged against the expected entries (empty when right). */
export function experimentProblems(experiment: Experiment, expected: readonly ExpectedEntry[]): string[] {
  const first = experiment.result?.[0];
  if (experiment.status !== 'success') {
    const said = first ? `: ${typeof first.data === 'string' ? first.data : JSON.stringify(first.data)}`.slice(0, 400) : '';
    return [`experiment ${experiment.uuid} ended in status ${experiment.status}${said}`];
  }
  if (!first) return [`experiment ${experiment.uuid} succeeded without a result`];
  return compareDescriptive(first.data, expected);
}
