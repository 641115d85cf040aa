// k6 script: each iteration submits one workflow through the submission gateway (POST /workflows) and
// polls its status (GET /workflows/<workspace>) until the job ends. Polling stops for good once the
// poll budget, counted from the start of the scenario, is spent: later iterations still submit their
// job and look once, so that a queue nobody consumes leaves every job submitted and visibly stuck
// within a bounded time instead of running into the scenario's max duration with jobs not submitted.
// The harness judges every job itself afterwards; these checks are the load tool's own view.
// Variables (-e): GATEWAY (base URL), VUS, ITERATIONS, MAX_DURATION, POLL_SECONDS, POLL_BUDGET_SECONDS.
import http from 'k6/http';
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';

const base = __ENV.GATEWAY;
const pollSeconds = Number(__ENV.POLL_SECONDS || 3);
const pollBudgetMs = Number(__ENV.POLL_BUDGET_SECONDS || 150) * 1000;
const terminal = ['finished', 'failed', 'canceled', 'stopped', 'unknown'];

/** Submit to end of each workflow as this virtual user saw it (submission and polling included). */
const workflowDuration = new Trend('workflow_duration', true);
/** Workflows still not ended when polling stopped. */
const workflowsUnended = new Counter('workflows_unended');

export const options = {
  scenarios: {
    workflows: {
      executor: 'shared-iterations',
      vus: Number(__ENV.VUS || 3),
      iterations: Number(__ENV.ITERATIONS || 9),
      maxDuration: __ENV.MAX_DURATION || '5m',
    },
  },
  thresholds: {
    checks: ['rate==1'],
    http_req_failed: ['rate==0'],
    // Declared so that the summary carries the submission and poll latencies apart.
    'http_req_duration{name:submit}': ['p(95)<120000'],
    'http_req_duration{name:status}': ['p(95)<60000'],
  },
};

function poll(workspace) {
  const deadline = exec.scenario.startTime + pollBudgetMs;
  let status = 'queued';
  do {
    sleep(pollSeconds);
    const reply = http.get(`${base}/workflows/${encodeURIComponent(workspace)}`, { tags: { name: 'status' }, timeout: '120s' });
    if (reply.status === 200) status = String(reply.json('status'));
  } while (!terminal.includes(status) && Date.now() < deadline);
  return status;
}

export default function () {
  const started = Date.now();
  const submitted = http.post(`${base}/workflows`, null, { tags: { name: 'submit' }, timeout: '180s' });
  if (!check(submitted, { 'workflow submitted': (reply) => reply.status === 201 })) return;
  const status = poll(String(submitted.json('workspace')));
  const ended = check(status, { 'workflow ended': (s) => terminal.includes(s) });
  check(status, { 'workflow finished': (s) => s === 'finished' });
  if (ended) workflowDuration.add(Date.now() - started);
  else workflowsUnended.add(1);
}
