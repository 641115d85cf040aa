import { expect } from 'chai';
import { recentWarnings, stackWorkloads, workloadsReady, type WorkloadApi } from './workloads.ts';

const replicated = (name: string, replicas: number, ready: number) => ({
  metadata: { name, generation: 2 },
  spec: { replicas },
  status: { observedGeneration: 2, replicas, readyReplicas: ready, updatedReplicas: replicas },
});

function api(deployments: ReturnType<typeof replicated>[], statefulSets: ReturnType<typeof replicated>[]): WorkloadApi {
  const byName =
    (items: ReturnType<typeof replicated>[]) =>
    ({ name }: { name: string }) =>
      Promise.resolve(items.find((i) => i.metadata.name === name));
  return {
    apps: {
      listNamespacedDeployment: () => Promise.resolve({ items: deployments }),
      listNamespacedStatefulSet: () => Promise.resolve({ items: statefulSets }),
      readNamespacedDeployment: byName(deployments),
      readNamespacedStatefulSet: byName(statefulSets),
    },
  } as unknown as WorkloadApi;
}

describe('workloadsReady', () => {
  const signal = new AbortController().signal;

  it('lists Deployments then StatefulSets, each sorted by name', async () => {
    const kube = api([replicated('web', 1, 1), replicated('api', 1, 1)], [replicated('redis', 1, 1)]);
    const names = (await stackWorkloads(kube, 'ns')).map((w) => `${w.kind}/${w.name}`);
    expect(names).to.deep.equal(['Deployment/api', 'Deployment/web', 'StatefulSet/redis']);
  });

  it('holds when every workload is Ready', async () => {
    const kube = api([replicated('web', 2, 2)], [replicated('redis', 1, 1)]);
    const seen = await workloadsReady(kube, await stackWorkloads(kube, 'ns')).check(signal);
    expect(seen).to.include({ ok: true, observed: 'all Ready' });
  });

  it('names every workload that is not Ready', async () => {
    const kube = api([replicated('web', 2, 1), replicated('worker', 1, 1)], [replicated('redis', 1, 0)]);
    const condition = workloadsReady(kube, await stackWorkloads(kube, 'ns'));
    expect(condition.what).to.equal('every workload in namespace ns to be Ready (deployment/web, deployment/worker, statefulset/redis)');
    const seen = await condition.check(signal);
    expect(seen).to.include({ ok: false, observed: 'not Ready: deployment/web 1/2 ready; statefulset/redis 0/1 ready' });
  });

  it('does not hold for an empty list', async () => {
    expect(await workloadsReady(api([], []), []).check(signal)).to.include({ ok: false, observed: 'no workloads listed' });
  });
});

describe('recentWarnings', () => {
  const event = (name: string, reason: string, message: string, at: string) => ({
    metadata: {},
    involvedObject: { kind: 'Pod', name },
    reason,
    message,
    lastTimestamp: new Date(at),
  });

  it('gives the newest distinct Warning events, oldest of them first', async () => {
    const queries: unknown[] = [];
    const kube = {
      core: {
        listNamespacedEvent: (query: unknown) => {
          queries.push(query);
          return Promise.resolve({
            items: [
              event('web-1', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 404', '2026-01-01T00:00:05Z'),
              event('web-1', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 404', '2026-01-01T00:00:09Z'),
              event('redis-1', 'Failed', 'Error: ErrImagePull', '2026-01-01T00:00:01Z'),
              event('old-1', 'BackOff', 'Back-off', '2026-01-01T00:00:00Z'),
            ],
          });
        },
      },
    } as never;
    expect(await recentWarnings(kube, 'ns', 2)).to.deep.equal([
      'pod/redis-1: Failed: Error: ErrImagePull',
      'pod/web-1: Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 404',
    ]);
    expect(queries).to.deep.equal([{ namespace: 'ns', fieldSelector: 'type=Warning' }]);
  });
});
