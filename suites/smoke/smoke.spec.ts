// smoke: everything is Ready, the web app answers its health endpoint through the ingress, and (openms) a
// real TOPP workflow on generated mzML runs through the RQ queue on a worker and leaves its results.
import { expect } from 'chai';
import { harness, httpAnswers } from '../../lib/suite.ts';
import { readinessChecks } from '../readiness.ts';
import { expectNoProblems, OPENMS_LAYOUT, openmsOnly, submitWorkflow, workerPodNames, workflowEnded, workflowProblems } from '../openms.ts';

/** Health endpoint of each stack's web entry point, as its images serve it. */
const HEALTH: Readonly<Record<string, { path: string; body: string }>> = {
  openms: { path: '/_stcore/health', body: 'ok' },
  mip: { path: '/services/actuator/health', body: '"status":"UP"' },
};

/** How long one small workflow may take, queue wait included. */
const WORKFLOW_BUDGET = '5m';

describe('smoke', function () {
  const h = harness(this);

  readinessChecks(h);

  it('the web health endpoint answers through the ingress', async () => {
    const health = HEALTH[h.stack.spec.name] ?? h.skip(`no health endpoint is known for the ${h.stack.spec.name} stack`);
    const url = h.stack.url(health.path);
    await h.step(`${health.path} answers 200 with "${health.body}"`, () =>
      h.waitFor(httpAnswers(url, { status: 200, bodyIncludes: health.body, ...(h.stack.host ? { host: h.stack.host } : {}) }), { within: h.config.timeouts.ready }),
    );
  });

  it('the web pods reach Redis and a worker listens on the workflow queue', async () => {
    const driver = openmsOnly(h, 'workflow check of smoke');
    const queue = await h.step(`the web pod reads queue ${OPENMS_LAYOUT.queue} from Redis`, () =>
      driver.queue({ signal: h.signal }).catch((error: unknown) => {
        // Upstream's app then runs workflows inside the web pod without a word: say so.
        throw new Error(`the web pod cannot use the RQ queue, so upstream would silently run workflows locally in the web pod: ${String(error)}`);
      }),
    );
    const workerPods = await workerPodNames(h, driver);
    const listening = queue.workers.filter((worker) => workerPods.includes(worker.hostname));
    h.metric('workers listening', listening.length, 'workers');
    expect(listening.map((w) => w.hostname), `RQ workers on queue ${OPENMS_LAYOUT.queue} running in worker pods (${workerPods.join(', ') || 'none Ready'})`).to.not.be.empty;
  });

  it('a TOPP workflow on generated mzML finishes on a worker with its result files and log markers', async () => {
    const driver = openmsOnly(h, 'workflow check of smoke');
    const submitted = await h.step('a workspace with one generated mzML is submitted', () => submitWorkflow(driver, { signal: h.signal }));
    const ended = await h.step(`job ${submitted.jobId} ends`, () => h.waitFor(workflowEnded(driver, submitted.workspace), { within: WORKFLOW_BUDGET, interval: 2000 }));
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
});
