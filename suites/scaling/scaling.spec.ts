// scaling: the RQ workers scale out, k6 drives concurrent workflow submissions through a submission
// gateway (Streamlit has no HTTP API), every job finishes with a correct result, and the jobs spread over
// more than one worker. Each job is judged from its own final status, not from what k6 saw.
import { expect } from 'chai';
import { harness, type Harness } from '../../lib/suite.ts';
import { startGateway, type Gateway, type GatewayBackend } from '../../lib/load/gateway.ts';
import { runK6, WORKFLOW_SCRIPT, type K6Result } from '../../lib/load/k6.ts';
import pLimit from 'p-limit';
import { jobRow, jobsPerWorker, loadProblems, throughput, type JobRow } from './outcomes.ts';
import { queueConsumers } from '../../lib/drivers/rq-workers.ts';
import { readinessChecks } from '../shared/readiness.ts';
import {
  OPENMS_LAYOUT,
  openmsOnly,
  workerPodNames,
  workflowHasEnded,
  scaleFor,
  submitWorkflow,
  workersRegistered,
  workflowProblems,
  workflowsEnded,
  type OpenmsDriver,
  type WorkflowStatus,
} from '../shared/openms-stack.ts';

/** Worker replicas during the suite. */
const WORKERS = 3;
/**
 * The load: k6 virtual users and submissions, how many scans each generated input has (enough that the
 * tools run for seconds, so jobs overlap and have to spread), and how long k6 polls (from its start).
 */
const LOAD = { vus: 3, iterations: 9, scans: 1200, pollSeconds: 3, pollBudgetSeconds: 150, maxDuration: '4m' } as const;
/** Driver calls (each a `kubectl exec`) running at once: enough to overlap, few enough for a small machine. */
const EXEC_CONCURRENCY = 2;

describe('scaling', function () {
  const h = harness(this);
  let restore: (() => Promise<void>) | undefined;
  let jobs: JobRow[] | undefined;

  readinessChecks(h);

  // Safety net for a run interrupted before the last check; a no-op once the workers were scaled back.
  after(async () => {
    await restore?.();
  });

  it(`${WORKERS} workers are Ready and each listens on the workflow queue`, async () => {
    const driver = openmsOnly(h, 'scaling suite');
    restore = await scaleFor(h, OPENMS_LAYOUT.worker, WORKERS);
    const pods = await workerPodNames(h, driver);
    expect(pods, `Ready worker pods (${OPENMS_LAYOUT.worker})`).to.have.length(WORKERS);
    const workers = await h.step(
      `each of the ${pods.length} worker pods registers an RQ worker in Redis`,
      async () => (await h.waitFor(workersRegistered(driver, pods), { within: h.config.timeouts.ready, interval: 2000 })).value ?? [],
    );
    const queue = await h.step(`the web pod reads queue ${OPENMS_LAYOUT.queue}`, () => driver.queue({ signal: h.signal }));
    const listening = queue.workers.map((worker) => worker.hostname).filter((host) => pods.includes(host));
    h.metric('workers listening', listening.length, 'workers');
    const missing = pods.filter((pod) => !listening.includes(pod));
    expect(missing, `worker pods not on queue ${OPENMS_LAYOUT.queue}: ${queueConsumers(OPENMS_LAYOUT.queue, workers, pods)}`).to.deep.equal(
      [],
    );
  });

  it(`k6 drives ${LOAD.iterations} submissions from ${LOAD.vus} virtual users and every job finishes with a correct result`, async () => {
    const driver = openmsOnly(h, 'scaling suite');
    const inputs = new Map<string, string[]>();
    const gateway = await h.step('the submission gateway listens on 127.0.0.1', () =>
      startGateway(gatewayBackend(driver, inputs), { concurrency: EXEC_CONCURRENCY }),
    );
    h.teardown.defer('the submission gateway is closed', () => gateway.close());
    const started = performance.now();
    const k6 = await h.step(`k6 runs ${LOAD.iterations} iterations on ${LOAD.vus} virtual users against ${gateway.url}`, () =>
      runLoad(h, gateway),
    );
    const statuses = await h.step(`the final status of each of the ${gateway.submissions().length} jobs is read`, () =>
      finalStatuses(h, driver, gateway),
    );
    h.metric('load wall time', Math.round(performance.now() - started), 'ms', 1000);
    const pods = await workerPodNames(h, driver);
    jobs = gateway.submissions().map((job, i) => {
      const status = statuses[i] as WorkflowStatus;
      return jobRow(job, status, workflowProblems(status, driver.expectedResults(inputs.get(job.workspace) ?? []), pods));
    });
    recordJobs(h, jobs);
    const stuck = jobs.some((job) => job.status === 'queued');
    const problems = loadProblems(jobs, {
      submissions: LOAD.iterations,
      failures: gateway.failures(),
      queuedReason: stuck ? await whyQueued(h, pods) : undefined,
    });
    if (k6.summary.iterations < LOAD.iterations)
      problems.push(`k6 completed ${k6.summary.iterations} of ${LOAD.iterations} iterations (${k6.logTail.slice(-1)[0] ?? 'no log'})`);
    expect(problems, 'what is wrong with the jobs of the load run').to.deep.equal([]);
  });

  it('the jobs spread over more than one worker', async () => {
    const driver = openmsOnly(h, 'scaling suite');
    const rows = jobs ?? expect.fail('the load check recorded no jobs, so how they spread over the workers is unknown');
    const perWorker = jobsPerWorker(rows);
    const pods = await workerPodNames(h, driver);
    for (const pod of new Set([...pods, ...perWorker.map(([worker]) => worker)])) {
      h.metric(`jobs on ${pod}`, perWorker.find(([worker]) => worker === pod)?.[1] ?? 0, 'jobs');
    }
    const spread = perWorker.map(([worker, count]) => `${worker}: ${count}`).join(', ') || 'no job finished';
    expect(perWorker.length, `workers that finished jobs (${spread}; ${pods.length} worker pods Ready)`).to.be.greaterThan(1);
  });

  // A check rather than only the after hook: scaling in is part of scaling, and the stack is left as found.
  it('the workers scale back to their original count', async () => {
    openmsOnly(h, 'scaling suite');
    const scaleBack = restore ?? h.skip('the workers were not scaled out, so there is nothing to scale back');
    await scaleBack();
  });
});

/** Turns gateway requests into driver calls; remembers each workspace's inputs for judging its results. */
function gatewayBackend(driver: OpenmsDriver, inputs: Map<string, string[]>): GatewayBackend {
  let seed = 0;
  return {
    submit: async (signal) => {
      seed += 1;
      const submitted = await submitWorkflow(driver, { scans: LOAD.scans, seed: seed * 10, signal });
      inputs.set(submitted.workspace, submitted.inputs);
      return { workspace: submitted.workspace, jobId: submitted.jobId };
    },
    status: (workspace, signal) => driver.status(workspace, { signal }),
  };
}

/** Runs k6 against the gateway and records its summary as evidence and its latencies as metrics. */
async function runLoad(h: Harness, gateway: Gateway): Promise<K6Result> {
  const summaryPath = h.artifactPath('k6-summary.json');
  const vars = {
    GATEWAY: gateway.url,
    VUS: String(LOAD.vus),
    ITERATIONS: String(LOAD.iterations),
    MAX_DURATION: LOAD.maxDuration,
    POLL_SECONDS: String(LOAD.pollSeconds),
    POLL_BUDGET_SECONDS: String(LOAD.pollBudgetSeconds),
  };
  const result = await runK6({ script: WORKFLOW_SCRIPT, summaryPath, vars, signal: h.signal, timeoutMs: h.config.timeouts.load });
  h.artifact(summaryPath, 'application/json', 'k6 summary (--summary-export)');
  const trends = result.summary.trends;
  const p95 = (name: string, metric: string): void => {
    const trend = trends[metric];
    if (trend) h.metric(name, Math.round(trend.p95), 'ms', 1);
  };
  p95('k6 http p95', 'http_req_duration');
  p95('k6 submit p95', 'http_req_duration{name:submit}');
  p95('k6 status poll p95', 'http_req_duration{name:status}');
  p95('k6 workflow submit-to-end p95', 'workflow_duration');
  h.metric('k6 iterations', result.summary.iterations, 'iterations');
  h.metric(
    'k6 checks failed',
    result.summary.checks.reduce((sum, check) => sum + check.fails, 0),
    'checks',
  );
  return result;
}

/**
 * The final status of every submitted job, in submission order. Jobs k6 stopped polling are waited
 * for while any job is moving; when none ever left the queue, waiting longer would show nothing new.
 */
async function finalStatuses(h: Harness, driver: OpenmsDriver, gateway: Gateway): Promise<WorkflowStatus[]> {
  const slot = pLimit(EXEC_CONCURRENCY);
  const submissions = gateway.submissions();
  const readAll = (signal: AbortSignal): Promise<WorkflowStatus[]> =>
    Promise.all(submissions.map((job) => slot(() => driver.status(job.workspace, { signal }))));
  const first = await readAll(h.signal);
  if (first.every(workflowHasEnded) || first.every((status) => status.status === 'queued')) return first;
  // A timeout is recorded by the wait; the jobs are then judged as they are.
  const seen = await h
    .waitFor(workflowsEnded(readAll, submissions.length), { within: h.config.timeouts.workflow, interval: 3000 })
    .catch((error: unknown) => {
      if (h.signal.aborted) throw error;
      return undefined;
    });
  return seen?.value ?? readAll(h.signal);
}

/** Why jobs stayed queued: which queues the workers listen on. */
async function whyQueued(h: Harness, pods: readonly string[]): Promise<string> {
  try {
    const workers = await openmsOnly(h, 'scaling suite').workers({ signal: h.signal });
    return queueConsumers(OPENMS_LAYOUT.queue, workers, pods);
  } catch (error) {
    return `the RQ workers could not be listed (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** The per-job table as evidence, and the throughput. */
function recordJobs(h: Harness, rows: readonly JobRow[]): void {
  h.saveArtifact('jobs.json', rows, `per-job table (${rows.length} jobs)`);
  const rate = throughput(rows);
  if (rate) {
    h.metric('throughput', Math.round(rate.perMinute * 10) / 10, 'jobs/min');
    h.metric('first enqueue to last end', rate.spanMs, 'ms', 1);
  }
}
