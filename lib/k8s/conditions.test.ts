import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiException, type V1Deployment, type V1Job, type V1Node, type V1Pod, type V1StatefulSet } from '@kubernetes/client-node';
import { ConditionFailedError, waitFor } from '../wait.ts';
import {
  allPodsReady,
  deploymentReady,
  httpAnswers,
  jobComplete,
  nodeNotReady,
  nodeReady,
  nodesReady,
  podsReady,
  resourceGone,
  statefulSetReady,
} from './conditions.ts';

const signal = new AbortController().signal;
const notFound = (): ApiException<unknown> => new ApiException(404, 'Unknown API Status Code!', { message: 'not found' }, {});

function node(name: string, status: 'True' | 'False' | 'Unknown', reason?: string): V1Node {
  const lastTransitionTime = new Date('2026-11-22T13:45:01Z');
  return { metadata: { name }, status: { conditions: [{ type: 'Ready', status, reason, lastTransitionTime }] } };
}

function pod(name: string, ready: boolean, extra: Partial<V1Pod['status']> = {}): V1Pod {
  const conditions = [{ type: 'Ready', status: ready ? 'True' : 'False' }];
  return { metadata: { name }, status: { phase: 'Running', conditions, ...extra } };
}

function deployment(spec: number, status: V1Deployment['status'], generation = 1): V1Deployment {
  return {
    metadata: { name: 'streamlit', generation },
    spec: { replicas: spec, selector: {}, template: {} },
    status: { observedGeneration: 1, ...status },
  };
}

const nodes = (...items: V1Node[]) => ({
  core: {
    readNode: ({ name }: { name: string }) => Promise.resolve(items.find((n) => n.metadata?.name === name) ?? items[0]!),
    listNode: () => Promise.resolve({ items }),
  },
});
const pods = (...items: V1Pod[]) => ({ core: { listNamespacedPod: () => Promise.resolve({ items }) } });
const found = <T>(object: T | undefined): Promise<T> => (object ? Promise.resolve(object) : Promise.reject(notFound()));

describe('node conditions', () => {
  it('nodeReady holds for a Ready node and reports when it became Ready', async () => {
    const seen = await nodeReady(nodes(node('worker', 'True')), 'worker').check(signal);
    expect(seen).to.include({ ok: true, observed: 'Ready' });
    expect(seen.value?.lastTransitionTime).to.equal('2026-11-22T13:45:01.000Z');
  });

  it('nodeReady reports why a node is not ready', async () => {
    const condition = nodeReady(nodes(node('worker', 'Unknown', 'NodeStatusUnknown')), 'worker');
    expect(condition.what).to.equal('node worker to be Ready');
    expect(await condition.check(signal)).to.include({ ok: false, observed: 'Unknown (NodeStatusUnknown)' });
  });

  it('nodeNotReady holds for False and Unknown, not for True', async () => {
    expect((await nodeNotReady(nodes(node('w', 'False', 'KubeletNotReady')), 'w').check(signal)).ok).to.equal(true);
    expect((await nodeNotReady(nodes(node('w', 'Unknown')), 'w').check(signal)).ok).to.equal(true);
    expect((await nodeNotReady(nodes(node('w', 'True')), 'w').check(signal)).ok).to.equal(false);
  });

  it('nodesReady counts Ready nodes and names the others', async () => {
    const kube = nodes(node('cp', 'True'), node('worker', 'True'), node('worker2', 'False', 'KubeletNotReady'));
    const condition = nodesReady(kube, 3);
    expect(condition.what).to.equal('3 Ready nodes');
    expect(await condition.check(signal)).to.include({ ok: false, observed: '2/3 Ready; worker2: NotReady (KubeletNotReady)' });
    expect((await nodesReady(kube, 2).check(signal)).ok).to.equal(true);
  });
});

describe('workload conditions', () => {
  const apps = (object: V1Deployment | undefined) => ({ apps: { readNamespacedDeployment: () => found(object) } });

  it('deploymentReady reads "2/3 ready" until the third replica is ready', async () => {
    const condition = deploymentReady(apps(deployment(3, { replicas: 3, readyReplicas: 2, updatedReplicas: 3 })), 'openms', 'streamlit', 3);
    expect(condition.what).to.equal('3 ready replicas of deployment/streamlit in namespace openms');
    expect(await condition.check(signal)).to.include({ ok: false, observed: '2/3 ready' });
    const ready = deploymentReady(apps(deployment(3, { replicas: 3, readyReplicas: 3, updatedReplicas: 3 })), 'openms', 'streamlit', 3);
    expect(await ready.check(signal)).to.include({ ok: true, observed: '3/3 ready' });
  });

  it('deploymentReady is not fooled by surplus pods or an unobserved spec', async () => {
    const scalingDown = deployment(1, { replicas: 3, readyReplicas: 3, updatedReplicas: 3 });
    expect(await deploymentReady(apps(scalingDown), 'ns', 'web', 1).check(signal)).to.include({
      ok: false,
      observed: '3/1 ready (3 pods)',
    });
    const unobserved = deployment(2, { replicas: 2, readyReplicas: 2, updatedReplicas: 2 }, 2);
    expect(await deploymentReady(apps(unobserved), 'ns', 'web').check(signal)).to.include({
      ok: false,
      observed: '2/2 ready (new spec not yet observed)',
    });
    const notScaledYet = deployment(1, { replicas: 1, readyReplicas: 1, updatedReplicas: 1 });
    expect(await deploymentReady(apps(notScaledYet), 'ns', 'web', 3).check(signal)).to.include({
      ok: false,
      observed: '1/3 ready (spec asks for 1, 1/3 updated)',
    });
  });

  it('deploymentReady without a count waits for every replica, and reports a missing deployment', async () => {
    const condition = deploymentReady(apps(undefined), 'ns', 'web');
    expect(condition.what).to.equal('every replica of deployment/web in namespace ns to be ready');
    expect(await condition.check(signal)).to.deep.equal({ ok: false, observed: 'not found' });
  });

  it('statefulSetReady counts ready replicas', async () => {
    const set: V1StatefulSet = {
      metadata: { name: 'postgres', generation: 1 },
      spec: { replicas: 1, serviceName: 'postgres', selector: {}, template: {} },
      status: { replicas: 1, readyReplicas: 1, updatedReplicas: 1, observedGeneration: 1 },
    };
    const condition = statefulSetReady({ apps: { readNamespacedStatefulSet: () => found(set) } }, 'mip', 'postgres', 1);
    expect(condition.what).to.equal('1 ready replica of statefulset/postgres in namespace mip');
    expect((await condition.check(signal)).ok).to.equal(true);
  });
});

describe('pod conditions', () => {
  it('podsReady counts ready pods and names why one is not', async () => {
    const crashing = pod('web-2', false, {
      containerStatuses: [
        { name: 'app', image: 'x', imageID: '', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ],
    });
    const condition = podsReady(pods(pod('web-1', true), crashing), 'openms', 'app=web', 2);
    expect(condition.what).to.equal('2 ready pods matching app=web in namespace openms');
    expect(await condition.check(signal)).to.include({ ok: false, observed: '1/2 ready; web-2: CrashLoopBackOff' });
  });

  it('allPodsReady ignores finished job pods and needs at least one pod', async () => {
    const finished = { metadata: { name: 'cleanup-1' }, status: { phase: 'Succeeded' } };
    expect(await allPodsReady(pods(pod('a', true), finished), 'ns').check(signal)).to.include({ ok: true, observed: '1/1 ready' });
    expect(await allPodsReady(pods(), 'ns').check(signal)).to.include({ ok: false, observed: 'no pods yet' });
    const pending = { metadata: { name: 'b' }, status: { phase: 'Pending' } };
    expect(await allPodsReady(pods(pod('a', true), pending), 'ns').check(signal)).to.include({
      ok: false,
      observed: '1/2 ready; b: Pending',
    });
  });
});

describe('jobComplete', () => {
  const batch = (job: V1Job) => ({ batch: { readNamespacedJob: () => Promise.resolve(job) } });

  it('holds once the Complete condition is true', async () => {
    const running = jobComplete(batch({ status: { active: 1 } }), 'openms', 'cleanup');
    expect(running.what).to.equal('job/cleanup in namespace openms to complete');
    expect(await running.check(signal)).to.include({ ok: false, observed: '1 active, 0 succeeded, 0 failed' });
    const done = batch({ status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } });
    expect((await jobComplete(done, 'openms', 'cleanup').check(signal)).ok).to.equal(true);
  });

  it('makes the wait fail at once, with the reason, when the job failed', async () => {
    const failed = batch({
      status: {
        failed: 6,
        conditions: [
          { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
        ],
      },
    });
    const started = performance.now();
    let error: unknown;
    try {
      await waitFor(jobComplete(failed, 'openms', 'cleanup'), { within: 30_000 });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(ConditionFailedError);
    expect((error as Error).message).to.equal(
      'job/cleanup in namespace openms failed: BackoffLimitExceeded: Job has reached the specified backoff limit',
    );
    expect(performance.now() - started).to.be.lessThan(1_000);
  });
});

describe('resourceGone', () => {
  it('holds once the read says NotFound', async () => {
    let present = true;
    const condition = resourceGone('pod/web-1 in namespace openms', () =>
      found(present ? { metadata: { deletionTimestamp: new Date() } } : undefined),
    );
    expect(condition.what).to.equal('pod/web-1 in namespace openms to be gone');
    expect(await condition.check(signal)).to.include({ ok: false, observed: 'terminating' });
    present = false;
    expect(await condition.check(signal)).to.include({ ok: true, observed: 'gone' });
  });
});

describe('httpAnswers', () => {
  let server: Server;
  let base: string;
  let status = 200;
  before(async () => {
    server = createServer((req, res) => {
      // Like an ingress route that matches a host name: other hosts get 404.
      if (req.headers.host === 'other.example' || (req.url === '/app' && req.headers.host !== 'app.example'))
        return void res.writeHead(404).end();
      res.writeHead(status).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('holds for the expected status and body', async () => {
    status = 200;
    const condition = httpAnswers(`${base}/_stcore/health`, { status: 200, bodyIncludes: 'ok' });
    expect(condition.what).to.equal(`${base}/_stcore/health to answer 200 with "ok"`);
    expect(await condition.check(signal)).to.include({ ok: true, observed: 'HTTP 200' });
    expect(await httpAnswers(base, { bodyIncludes: 'healthy' }).check(signal)).to.include({
      ok: false,
      observed: 'HTTP 200 without "healthy"',
    });
  });

  it('sends the Host header a route matching a host name needs, to the address of the URL', async () => {
    status = 200;
    const condition = httpAnswers(`${base}/app`, { status: 200, host: 'app.example' });
    expect(condition.what).to.equal(`${base}/app (Host app.example) to answer 200`);
    expect(await condition.check(signal)).to.include({ ok: true, observed: 'HTTP 200' });
    expect(await httpAnswers(`${base}/app`, { status: 200 }).check(signal)).to.include({ ok: false, observed: 'HTTP 404' });
  });

  it('reports the status code when it is wrong', async () => {
    status = 503;
    expect(await httpAnswers(base).check(signal)).to.include({ ok: false, observed: 'HTTP 503' });
  });

  it('reports a refused connection by its short name', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await httpAnswers(`http://127.0.0.1:${port}/`).check(signal)).to.include({ ok: false, observed: 'ECONNREFUSED' });
  });
});
