import { expect } from 'chai';
import { startGateway, type Gateway, type GatewayBackend } from './gateway.ts';

async function call(gateway: Gateway, method: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}${path}`, { method });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function fakeBackend(overrides: Partial<GatewayBackend> = {}): GatewayBackend & { inFlight: number; most: number } {
  let n = 0;
  const state = { inFlight: 0, most: 0 };
  const track = async <T>(value: T): Promise<T> => {
    state.inFlight += 1;
    state.most = Math.max(state.most, state.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 20));
    state.inFlight -= 1;
    return value;
  };
  return Object.assign(state, {
    submit: () => {
      n += 1;
      return track({ workspace: `ws-${n}`, jobId: `job-${n}` });
    },
    status: (workspace: string) => track({ workspace, status: 'finished' }),
    ...overrides,
  });
}

describe('startGateway', () => {
  let gateway: Gateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('listens on 127.0.0.1 and turns POST /workflows into a submission it records', async () => {
    gateway = await startGateway(fakeBackend());
    expect(gateway.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    const reply = await call(gateway, 'POST', '/workflows');
    expect(reply).to.deep.equal({ status: 201, body: { workspace: 'ws-1', jobId: 'job-1' } });
    const [job] = gateway.submissions();
    expect(job).to.include({ workspace: 'ws-1', jobId: 'job-1' });
    expect(Date.parse(job?.requestedAt ?? '')).to.be.a('number').and.not.NaN;
    expect(job?.submitMs).to.be.at.least(0);
  });

  it('answers GET /workflows/<ws> with the backend status, and 404 for a workspace it did not submit', async () => {
    gateway = await startGateway(fakeBackend());
    await call(gateway, 'POST', '/workflows');
    expect(await call(gateway, 'GET', '/workflows/ws-1')).to.deep.equal({ status: 200, body: { workspace: 'ws-1', status: 'finished' } });
    const stranger = await call(gateway, 'GET', '/workflows/other');
    expect(stranger.status).to.equal(404);
    expect(stranger.body.error).to.match(/other was not submitted/);
    expect((await call(gateway, 'DELETE', '/workflows/ws-1')).status).to.equal(404);
  });

  it('answers 502 with the error when the backend fails, and records the failure', async () => {
    gateway = await startGateway(fakeBackend({ submit: () => Promise.reject(new Error('no Ready web pod')) }));
    const reply = await call(gateway, 'POST', '/workflows');
    expect(reply).to.deep.equal({ status: 502, body: { error: 'no Ready web pod' } });
    expect(gateway.submissions()).to.deep.equal([]);
    expect(gateway.failures()).to.deep.equal([{ call: 'submit', error: 'no Ready web pod' }]);
  });

  it('runs no more backend calls at once than its concurrency', async () => {
    const backend = fakeBackend();
    gateway = await startGateway(backend, { concurrency: 2 });
    const open = gateway;
    await Promise.all(Array.from({ length: 6 }, () => call(open, 'POST', '/workflows')));
    expect(backend.most).to.equal(2);
    expect(
      gateway
        .submissions()
        .map((job) => job.jobId)
        .sort(),
    ).to.have.length(6);
  });

  it('aborts backend calls still running when it closes', async () => {
    let aborted = false;
    const backend = fakeBackend({
      submit: (signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
    });
    gateway = await startGateway(backend);
    const pending = fetch(`${gateway.url}/workflows`, { method: 'POST' }).catch(() => 'closed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await gateway.close();
    gateway = undefined;
    await pending;
    expect(aborted).to.equal(true);
  });
});
