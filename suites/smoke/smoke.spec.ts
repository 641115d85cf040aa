// smoke: everything is Ready, the web app answers its health endpoint through the ingress, and (openms) a
// real TOPP workflow on generated mzML runs through the RQ queue on a worker and leaves its results, or
// (mip) every worker's datasets are visible, the controller itself answers a descriptive-statistics request
// with what the CSV files give, and so does an experiment through the web backend.
import { expect } from 'chai';
import { harness, httpAnswers } from '../../lib/suite.ts';
import { readinessChecks } from '../shared/readiness.ts';
import {
  expectNoProblems,
  OPENMS_LAYOUT,
  openmsOnly,
  submitWorkflow,
  workerPodNames,
  workflowEnded,
  workflowProblems,
} from '../shared/openms-stack.ts';
import {
  answerProblems,
  backendWords,
  controllerRequest,
  datasetsWherePlaced,
  listedPerWorker,
  experimentEnded,
  experimentProblems,
  MIP_LAYOUT,
  mipOnly,
  placedData,
  statisticsExperiment,
} from '../shared/mip-stack.ts';
import { landscapeInterval } from '../../lib/exaflow/landscape.ts';
import { pooledLines } from '../../lib/exaflow/stats.ts';

/** Health endpoint of each stack's web entry point, as its images serve it. */
const HEALTH: Readonly<Record<string, { path: string; body: string }>> = {
  openms: { path: '/_stcore/health', body: 'ok' },
  mip: { path: '/services/actuator/health', body: '"status":"UP"' },
};

describe('smoke', function () {
  const h = harness(this);

  readinessChecks(h);

  it('the web health endpoint answers through the ingress', async () => {
    const health = HEALTH[h.stack.spec.name] ?? h.skip(`no health endpoint is known for the ${h.stack.spec.name} stack`);
    const url = h.stack.url(health.path);
    await h.step(`${health.path} answers 200 with "${health.body}"`, () =>
      h.waitFor(httpAnswers(url, { status: 200, bodyIncludes: health.body, ...(h.stack.host ? { host: h.stack.host } : {}) }), {
        within: h.config.timeouts.ready,
      }),
    );
  });

  it('the web pods reach Redis and a worker listens on the workflow queue', async () => {
    const driver = openmsOnly(h, 'workflow check of the smoke suite');
    const queue = await h.step(`the web pod reads queue ${OPENMS_LAYOUT.queue} from Redis`, () =>
      driver.queue({ signal: h.signal }).catch((error: unknown) => {
        // Upstream's app then runs workflows inside the web pod without a word: say so.
        throw new Error(
          `the web pod cannot use the RQ queue, so upstream would silently run workflows locally in the web pod: ${String(error)}`,
        );
      }),
    );
    const local = `the app's own QueueManager has no queue in the web pod (${queue.app_queue_error ?? 'online mode off, or Redis unreachable from its settings'}), so it would silently run workflows inside the web pod`;
    expect(queue.app_queue_available, local).to.equal(true);
    const workerPods = await workerPodNames(h, driver);
    const listening = queue.workers.filter((worker) => workerPods.includes(worker.hostname));
    h.metric('workers listening', listening.length, 'workers');
    expect(
      listening.map((w) => w.hostname),
      `RQ workers on queue ${OPENMS_LAYOUT.queue} running in worker pods (${workerPods.join(', ') || 'none Ready'})`,
    ).to.not.be.empty;
  });

  it('a TOPP workflow on generated mzML finishes on a worker with its result files and log markers', async () => {
    const driver = openmsOnly(h, 'workflow check of the smoke suite');
    const submitted = await h.step('a workspace with two generated mzML files is submitted', () =>
      submitWorkflow(driver, { signal: h.signal }),
    );
    const ended = await h.step(`job ${submitted.jobId} ends`, () =>
      h.waitFor(workflowEnded(driver, submitted.workspace), { within: h.config.timeouts.workflow, interval: 2000 }),
    );
    const status = ended.value ?? (await driver.status(submitted.workspace, { signal: h.signal }));
    h.saveArtifact('workflow-status.json', status, `status of workspace ${submitted.workspace}`);
    const workerPods = await workerPodNames(h, driver);
    if (status.started_at && status.ended_at) {
      h.metric('workflow run time', Date.parse(status.ended_at) - Date.parse(status.started_at), 'ms', 1);
    }
    h.metric('workflow submit-to-end', ended.elapsedMs, 'ms', 2000);
    const problems = workflowProblems(status, driver.expectedResults(submitted.inputs), workerPods);
    expectNoProblems(problems, `the workflow of job ${submitted.jobId}`);
  });

  it('the controller is healthy and every worker shows the datasets placed on its node', async () => {
    const driver = mipOnly(h, 'federation check of smoke');
    const placement = placedData(h);
    for (const share of placement.nodes) {
      const held = share.models.map((m) => `${m.datasets.join(', ') || 'none'} (${m.id})`).join('; ');
      h.metric(
        `datasets on ${share.node}`,
        share.models.reduce((n, m) => n + m.datasets.length, 0),
        'datasets',
      );
      h.note(`${share.node} holds ${held}`);
    }
    h.saveArtifact(
      'data-placement.json',
      placement.nodes,
      `each worker node's share of the data (${placement.data.origin}) under ${placement.hostDir}`,
    );
    // The workers are Ready (checked above): the controller must list them by its next landscape refresh.
    const interval = await landscapeInterval(h.kube, await driver.namespace(h.signal), MIP_LAYOUT.controller, h.signal);
    const within = (2 * interval.seconds + 30) * 1000;
    const seen = await h.step(
      `the controller lists every dataset on the worker of its node within ${within / 1000} s (refresh every ${interval.seconds} s)`,
      () => h.waitFor(datasetsWherePlaced(driver, placement), { within, interval: 3000 }),
    );
    h.saveArtifact('datasets-locations.json', seen.value, 'GET /datasets_locations of the controller');
    for (const line of listedPerWorker(seen.value ?? {})) h.note(line);
    const health = await driver.controllerHealth(h.signal);
    expect(health.ok, `the controller's /healthcheck: ${health.text}`).to.equal(true);
  });

  it('the controller answers a descriptive-statistics request (POST /algorithms/descriptive_stats) with the statistics the CSV files give', async () => {
    const driver = mipOnly(h, 'controller experiment check of smoke');
    const placement = placedData(h);
    const run = controllerRequest(placement);
    const started = performance.now();
    const answer = await h.step(`descriptive_stats on ${run.model}, datasets ${run.datasets.join(', ')}, asked of the controller`, () =>
      driver.runAlgorithm('descriptive_stats', run.body, h.signal),
    );
    h.metric('controller descriptive_stats answer', performance.now() - started, 'ms', 1);
    h.saveArtifact('controller-descriptive-stats.json', answer, "the controller's answer to POST /algorithms/descriptive_stats");
    h.saveArtifact(
      'expected-statistics.json',
      run.expected,
      'the same statistics computed from the CSV files (pooled as Exaflow pools them)',
    );
    for (const line of pooledLines(answer.ok ? answer.result : undefined, run.expected)) h.note(line);
    expectNoProblems(answerProblems(answer, run.expected), "the controller's descriptive_stats answer");
  });

  it('a descriptive-statistics experiment through the web backend returns the statistics the CSV files give', async () => {
    const driver = mipOnly(h, 'experiment check of smoke');
    const backend = backendWords(h);
    const placement = placedData(h);
    const run = statisticsExperiment(placement, 'mip-verify smoke');
    const submitted = await h.step(
      `descriptive_stats on ${run.model}, datasets ${run.datasets.join(', ')}, submitted through the ingress to ${backend}`,
      () => driver.submit(run.body, h.signal),
    );
    const ended = await h.step(`experiment ${submitted.uuid} finishes`, () =>
      h.waitFor(experimentEnded(driver, submitted.uuid), { within: h.config.timeouts.workflow, interval: 1000 }),
    );
    const experiment = ended.value ?? (await driver.experiment(submitted.uuid, h.signal));
    h.saveArtifact('experiment.json', experiment, `experiment ${submitted.uuid} as the backend returns it`);
    h.metric('experiment submit-to-end', ended.elapsedMs, 'ms', 1000);
    for (const line of pooledLines(experiment.result?.[0]?.data, run.expected)) h.note(line);
    expectNoProblems(experimentProblems(experiment, run.expected), `experiment ${submitted.uuid}`);
  });
});
