import { expect } from 'chai';
import { ApiException, type KubernetesObject, type KubernetesObjectApi, type V1Pod } from '@kubernetes/client-node';
import {
  FIELD_MANAGER,
  applyManifests,
  deletePod,
  deploymentBySelector,
  ensureNamespace,
  listPods,
  podProblem,
  scaleDeployment,
} from './objects.ts';

const apiError = (code: number): ApiException<unknown> => new ApiException(code, 'x', {}, {});

describe('object helpers', () => {
  it('deploymentBySelector names the Deployment and its replicas, or fails naming the selector', async () => {
    const items = [{ metadata: { name: 'worker' }, spec: { replicas: 3 } }];
    const kube = { apps: { listNamespacedDeployment: () => Promise.resolve({ items }) } } as never;
    expect(await deploymentBySelector(kube, 'openms', 'app=worker')).to.deep.equal({ name: 'worker', replicas: 3 });
    const none = { apps: { listNamespacedDeployment: () => Promise.resolve({ items: [] }) } } as never;
    const error = await deploymentBySelector(none, 'openms', 'app=worker').catch((e: unknown) => e);
    expect(String(error)).to.include('no Deployment labelled app=worker in namespace openms');
  });

  it('scaleDeployment writes the replica count to the scale subresource', async () => {
    const calls: unknown[] = [];
    const kube = { apps: { replaceNamespacedDeploymentScale: (param: unknown) => (calls.push(param), Promise.resolve({})) } };
    await scaleDeployment(kube, 'mip', 'exaflow-worker', { replicas: 3 });
    expect(calls).to.deep.equal([
      { name: 'exaflow-worker', namespace: 'mip', body: { metadata: { name: 'exaflow-worker', namespace: 'mip' }, spec: { replicas: 3 } } },
    ]);
  });

  it('deletePod passes the grace period and reports an already deleted pod', async () => {
    const calls: unknown[] = [];
    let gone = false;
    const kube = {
      core: {
        deleteNamespacedPod: (param: unknown) => {
          calls.push(param);
          if (gone) return Promise.reject(apiError(404));
          gone = true;
          return Promise.resolve({});
        },
      },
    };
    expect(await deletePod(kube, 'openms', 'worker-1', { gracePeriodSeconds: 0 })).to.equal(true);
    expect(await deletePod(kube, 'openms', 'worker-1')).to.equal(false);
    expect(calls[0]).to.deep.equal({ name: 'worker-1', namespace: 'openms', gracePeriodSeconds: 0 });
    const failing = { core: { deleteNamespacedPod: () => Promise.reject(apiError(403)) } };
    try {
      await deletePod(failing, 'openms', 'worker-1');
      expect.fail('a 403 must not be swallowed');
    } catch (error) {
      expect((error as ApiException<unknown>).code).to.equal(403);
    }
  });

  it('listPods passes the selector and sorts by name', async () => {
    let selector: string | undefined;
    const items: V1Pod[] = [{ metadata: { name: 'web-b' } }, { metadata: { name: 'web-a' } }];
    const kube = {
      core: { listNamespacedPod: (param: { labelSelector?: string }) => ((selector = param.labelSelector), Promise.resolve({ items })) },
    };
    const found = await listPods(kube, 'openms', 'app=web');
    expect(found.map((p) => p.metadata?.name)).to.deep.equal(['web-a', 'web-b']);
    expect(selector).to.equal('app=web');
  });

  it('applyManifests server-side applies each document with our field manager', async () => {
    const calls: unknown[][] = [];
    const client: Pick<KubernetesObjectApi, 'patch'> = {
      patch: <T extends KubernetesObject>(...args: unknown[]) => (calls.push(args), Promise.resolve(args[0] as T)),
    };
    const docs = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' } }];
    const applied = await applyManifests({ config: undefined as never }, docs, { client });
    expect(applied).to.deep.equal(docs);
    expect(calls[0]?.slice(0, 6)).to.deep.equal([docs[0], undefined, undefined, FIELD_MANAGER, true, 'application/apply-patch+yaml']);
  });

  it('ensureNamespace creates a missing namespace once and tolerates a race', async () => {
    const created: unknown[] = [];
    let exists = false;
    const kube = {
      core: {
        readNamespace: () => (exists ? Promise.resolve({}) : Promise.reject(apiError(404))),
        createNamespace: (param: unknown) => (created.push(param), (exists = true), Promise.resolve({})),
      },
    };
    expect(await ensureNamespace(kube, 'openms', { labels: { 'app.kubernetes.io/managed-by': 'mip-verify' } })).to.equal(true);
    expect(await ensureNamespace(kube, 'openms')).to.equal(false);
    expect(created).to.deep.equal([{ body: { metadata: { name: 'openms', labels: { 'app.kubernetes.io/managed-by': 'mip-verify' } } } }]);
    const racing = { core: { readNamespace: () => Promise.reject(apiError(404)), createNamespace: () => Promise.reject(apiError(409)) } };
    expect(await ensureNamespace(racing, 'openms')).to.equal(false);
  });

  it('podProblem names the most telling reason', () => {
    const status = (state: object): V1Pod => ({
      metadata: { name: 'p' },
      status: { phase: 'Running', containerStatuses: [{ name: 'c', image: '', imageID: '', ready: false, restartCount: 0, state }] },
    });
    expect(podProblem(status({ waiting: { reason: 'ImagePullBackOff' } }))).to.equal('ImagePullBackOff');
    expect(podProblem(status({ terminated: { exitCode: 137, reason: 'OOMKilled' } }))).to.equal('OOMKilled');
    expect(podProblem(status({ running: {} }))).to.equal('not ready');
    expect(podProblem({ metadata: { deletionTimestamp: new Date() } })).to.equal('Terminating');
    expect(podProblem({ status: { phase: 'Pending' } })).to.equal('Pending');
  });
});
