// The experiment the MIP checks run and how its answer is judged: descriptive statistics of every
// numerical variable of the first data model over some of its datasets, against the same statistics
// computed here from the CSV files placed on the nodes.
import { randomUUID } from 'node:crypto';
import type { AlgorithmAnswer, Experiment } from '../drivers/mip.ts';
import { allVariables, modelId } from './data.ts';
import type { DataPlacement } from './placement.ts';
import { compareDescriptive, expectedDescriptive, type ExpectedEntry } from './stats.ts';

/** An experiment to submit and what its answer must be. */
export interface PlannedExperiment {
  /** The body of `POST /services/experiments`. */
  readonly body: unknown;
  /** The statistics the answer must hold. */
  readonly expected: ExpectedEntry[];
  /** Data model id. */
  readonly model: string;
  /** Datasets it runs on. */
  readonly datasets: string[];
}

/** The datasets of the first data model, as placed on the nodes (sorted). */
export function placedDatasets(placement: DataPlacement): { model: string; datasets: string[] } {
  const first = placement.data.models[0];
  if (!first) throw new Error('the placed data holds no data model');
  const model = modelId(first);
  return { model, datasets: placement.nodes.flatMap((n) => n.models.filter((m) => m.id === model).flatMap((m) => m.datasets)).sort() };
}

/** Descriptive statistics of every numerical variable of the first data model over `datasets` (default: all placed). */
export function statisticsExperiment(placement: DataPlacement, name: string, datasets?: readonly string[]): PlannedExperiment {
  const placed = placedDatasets(placement);
  const chosen = [...(datasets ?? placed.datasets)].sort();
  const model = placement.data.models[0];
  const variables = allVariables(model?.metadata ?? { code: '', label: '' })
    .filter((v) => !v.isCategorical)
    .map((v) => v.code);
  const body = {
    name,
    algorithm: {
      name: 'descriptive_stats',
      inputdata: { data_model: placed.model, datasets: chosen, x: [], y: variables, filters: null },
      parameters: {},
      preprocessing: {},
    },
  };
  return { body, expected: expectedDescriptive(placement.data, placed.model, chosen, variables), model: placed.model, datasets: chosen };
}

/** The same statistics asked of the controller itself (`POST /algorithms/descriptive_stats`, the body the web backend would send). */
export function controllerRequest(placement: DataPlacement, datasets?: readonly string[]): PlannedExperiment {
  const planned = statisticsExperiment(placement, 'controller request', datasets);
  const variables = planned.expected.map((e) => e.variable).filter((v, i, all) => all.indexOf(v) === i);
  const body = {
    request_id: `mip-verify-${randomUUID()}`,
    inputdata: { data_model: planned.model, datasets: planned.datasets, x: null, y: variables, filters: null },
    parameters: {},
  };
  return { ...planned, body };
}

/** What is wrong with the controller's answer, judged against the expected entries (empty when right). */
export function answerProblems(answer: AlgorithmAnswer, expected: readonly ExpectedEntry[]): string[] {
  if (!answer.ok) return [`the controller answered HTTP ${answer.status}: ${answer.text}`];
  return compareDescriptive(answer.result, expected);
}

/** What is wrong with a finished experiment's result, judged against the expected entries (empty when right). */
export function experimentProblems(experiment: Experiment, expected: readonly ExpectedEntry[]): string[] {
  const first = experiment.result?.[0];
  if (experiment.status !== 'success') {
    const said = first ? `: ${typeof first.data === 'string' ? first.data : JSON.stringify(first.data)}`.slice(0, 400) : '';
    return [`ended in status ${experiment.status}${said}`];
  }
  if (!first) return ['succeeded without a result'];
  return compareDescriptive(first.data, expected);
}
