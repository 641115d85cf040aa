import { expect } from 'chai';
import type { OpenmsDriver, WorkflowStatus } from '../drivers/openms.ts';
import { openmsProbe } from './probe-openms.ts';
import { SCENARIOS, type Scenario } from './scenarios.ts';
import type { WaitListener } from '../wait.ts';
import { serviceAnswers } from './service.ts';

const scenario = SCENARIOS[0] as Scenario;

function status(fields: Partial<WorkflowStatus>): WorkflowStatus {
  const log = { started: true, finished: true, cancelled: false, error: false, outcome: 'finished' as const };
  return {
    workspace: 'ws',
    job_id: 'j',
    status: 'finished',
    running: false,
    log,
    results: ['out.txt'],
    pids: [],
    result: { success: true },
    worker_host: 'rq-1',
    ...fields,
  };
}

/** A driver whose steps answer from scripts: each call takes the next reply (an Error rejects). */
function driver(script: { create: (string | Error)[]; status: WorkflowStatus[] }): ReturnType<typeof openmsProbe> {
  const next = <T>(list: (T | Error)[], last: T): Promise<T> => {
    const reply = list.length > 1 ? list.shift() : list[0];
    return reply instanceof Error ? Promise.reject(reply) : Promise.resolve(reply ?? last);
  };
  return openmsProbe({
    createWorkspace: () => next(script.create, 'ws'),
    addInput: () => Promise.resolve(),
    submit: () => Promise.resolve('j'),
    status: () => next(script.status, status({})),
    readyPods: () => Promise.resolve([{ metadata: { name: 'rq-1' } }]),
    expectedResults: () => ['out.txt'],
  } as unknown as OpenmsDriver);
}

describe('recovery/service with the OpenMS probe', () => {
  const signal = new AbortController().signal;

  it('repeats failed submissions until one workflow ends with its results on a worker', async () => {
    const d = driver({
      create: [new Error('exec: node unreachable\ndetails'), 'ws'],
      status: [status({ status: 'queued', running: true }), status({})],
    });
    const answer = await serviceAnswers(d, scenario, { healthy: () => true, signal, intervalMs: 5 });
    expect(answer).to.include({ id: 'ws', attempts: 2 });
    expect(answer.failures).to.deep.equal(['exec: node unreachable']);
    expect(answer.precisionMs).to.be.greaterThan(0);
  });

  it('does not count a workflow that ended without its results, and tries another', async () => {
    const d = driver({ create: ['ws'], status: [status({ results: [] }), status({})] });
    const answer = await serviceAnswers(d, scenario, { healthy: () => true, signal, intervalMs: 5 });
    expect(answer.attempts).to.equal(2);
    expect(answer.failures[0]).to.match(/result files missing: out\.txt/);
  });

  it('keeps attempts one interval apart and tells its listener of each failed attempt, each status wait and the outcome', async () => {
    const lines: string[] = [];
    const listener: WaitListener = {
      attempt: (what, attempt, observed) => lines.push(`${what} #${attempt}: ${observed}`),
      done: (what, ok, observed) => lines.push(`${what}: ${ok ? 'done' : 'not done'} (${observed})`),
    };
    const d = driver({ create: [new Error('refused'), new Error('refused'), 'ws'], status: [status({ status: 'queued' }), status({})] });
    const started = performance.now();
    const answer = await serviceAnswers(d, scenario, { healthy: () => true, signal, intervalMs: 30, listener });
    expect(answer.attempts).to.equal(3);
    // Two pauses before the third attempt, then one before each of the two status reads: no growth, no jitter.
    expect(performance.now() - started).to.be.within(4 * 30 - 5, 4 * 30 * 3);
    expect(lines).to.deep.equal([
      `the service to answer again (${d.what}) #1: refused`,
      `the service to answer again (${d.what}) #2: refused`,
      'the workflow of workspace ws to end #1: queued',
      'the workflow of workspace ws to end: done (finished)',
      `the service to answer again (${d.what}): done (ws answered at attempt 3)`,
    ]);
  });

  it("times the workflow's end to within the gap since the status read before (since the submission, for the first)", async () => {
    const later = await serviceAnswers(driver({ create: ['ws'], status: [status({ status: 'started' }), status({})] }), scenario, {
      healthy: () => true,
      signal,
      intervalMs: 40,
    });
    expect(later.precisionMs).to.be.within(35, 200);
    const first = await serviceAnswers(driver({ create: ['ws'], status: [status({})] }), scenario, {
      healthy: () => true,
      signal,
      intervalMs: 40,
    });
    expect(first.precisionMs).to.be.within(35, 200);
  });

  it('waits for the health endpoint too, and stops when its signal aborts', async () => {
    let looks = 0;
    const answer = await serviceAnswers(driver({ create: ['ws'], status: [status({})] }), scenario, {
      healthy: () => (looks += 1) > 3,
      signal,
      intervalMs: 5,
    });
    expect(answer.attempts).to.equal(1);
    expect(looks).to.equal(4);
    const stop = new AbortController();
    const pending = serviceAnswers(driver({ create: [new Error('down')], status: [] }), scenario, {
      healthy: () => true,
      signal: stop.signal,
      intervalMs: 5,
    });
    stop.abort(new Error('trial over'));
    const error: unknown = await pending.catch((e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
  });
});
