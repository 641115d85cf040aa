import { expect } from 'chai';
import { fakeCluster, fakeKube, fakeTools, type FakeTools } from '../../fixtures/support/fake-tools.ts';
import { HarnessError } from '../errors.ts';
import { createTools } from '../cluster/command-runner.ts';
import type { OpOptions } from '../cluster/types.ts';
import type { Kube } from '../k8s/client.ts';
import { createStackHandle, selectorString } from './handle.ts';
import type { Stack, StackSpec } from './types.ts';

const workload = (name: string, labels: Record<string, string>, containers: { name: string; image: string }[]) => ({
  metadata: { name },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers } } },
});

describe('stack handle', () => {
  let tools: FakeTools;
  let stack: Stack;
  let podQueries: unknown[];
  let connects: number;
  const options: OpOptions = { signal: new AbortController().signal };
  const spec: StackSpec = { name: 'openms', source: 'fixtures/stacks/openms', namespace: 'openms', images: {} };

  beforeEach(async () => {
    tools = await fakeTools({ FAKE_KUBECTL_EXEC_STDOUT: 'params.json' });
    podQueries = [];
    connects = 0;
    const list = (items: unknown[]) => () => Promise.resolve({ items });
    const api = fakeKube([], {
      apps: {
        listNamespacedDeployment: list([
          workload('streamlit', { app: 'streamlit' }, [{ name: 'streamlit', image: 'openms-streamlit:offline' }]),
        ]),
        listNamespacedStatefulSet: list([workload('redis', { app: 'redis' }, [{ name: 'redis', image: 'redis:7' }])]),
        listNamespacedDaemonSet: list([]),
      },
      batch: {
        listNamespacedCronJob: list([
          {
            spec: {
              jobTemplate: { spec: { template: { spec: { containers: [{ name: 'cleanup', image: 'openms-streamlit:offline' }] } } } },
            },
          },
        ]),
      },
      core: {
        listNamespacedPod: (query: unknown) => {
          podQueries.push(query);
          return Promise.resolve({ items: [{ metadata: { name: 'streamlit-b' } }, { metadata: { name: 'streamlit-a' } }] });
        },
      },
    });
    const connect = (): Kube => {
      connects += 1;
      return api.kube;
    };
    stack = createStackHandle({ spec, cluster: fakeCluster(), tools: createTools(tools.env), connect, uninstall: () => Promise.resolve() });
  });
  afterEach(() => tools.cleanup());

  it('finds a workload by name, and by kind', async () => {
    expect(await stack.workload('redis')).to.deep.equal({ kind: 'StatefulSet', namespace: 'openms', name: 'redis' });
    expect(await stack.workload('streamlit', 'Deployment')).to.deep.equal({ kind: 'Deployment', namespace: 'openms', name: 'streamlit' });
    expect(connects).to.equal(1);
  });

  it('names a missing workload and the namespace, listing the workloads there are', async () => {
    const error = await stack.workload('rq-worker', 'Deployment').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(HarnessError);
    expect((error as Error).message).to.equal(
      'deployment/rq-worker not found in namespace openms (workloads there: deployment/streamlit, statefulset/redis)',
    );
  });

  it("lists a workload's pods by its selector", async () => {
    const pods = await stack.pods({ kind: 'Deployment', namespace: 'openms', name: 'streamlit' });
    expect(pods).to.deep.equal(['streamlit-a', 'streamlit-b']);
    expect(podQueries).to.deep.equal([{ namespace: 'openms', labelSelector: 'app=streamlit' }]);
  });

  it('builds ingress URLs and runs commands in pods through kubectl exec', async () => {
    expect(stack.url('/_stcore/health')).to.equal('http://127.0.0.1:18080/_stcore/health');
    expect(stack.url('api')).to.equal('http://127.0.0.1:18080/api');
    const out = await stack.exec('streamlit-a', ['ls', '/workspaces'], { ...options, container: 'streamlit' });
    expect(out.trim()).to.equal('params.json');
    expect((await tools.calls())[0]).to.deep.equal([
      'kubectl',
      '--kubeconfig',
      '/tmp/kubeconfig-mip-verify',
      '--context',
      'kind-mip-verify',
      'exec',
      '-n',
      'openms',
      'streamlit-a',
      '-c',
      'streamlit',
      '--',
      'ls',
      '/workspaces',
    ]);
  });

  it('tries kubectl exec again while the request does not get through to the API', async () => {
    const flaky = await fakeTools({ FAKE_KUBECTL_MODE: 'exec-handshake-2', FAKE_KUBECTL_EXEC_STDOUT: 'ok' });
    try {
      const handle = createStackHandle({
        spec,
        cluster: fakeCluster(),
        tools: createTools(flaky.env),
        connect: () => ({}) as Kube,
        uninstall: () => Promise.resolve(),
        retryPauseMs: 10,
      });
      expect((await handle.exec('streamlit-a', ['true'], options)).trim()).to.equal('ok');
      expect(await flaky.calls()).to.have.length(3);
    } finally {
      await flaky.cleanup();
    }
  });

  it('names the API, not the app, when the API never answers, and never repeats a command that ran and failed', async () => {
    for (const [mode, expected, calls] of [
      [
        'exec-handshake-always',
        /^The Kubernetes API did not answer kubectl exec into pod streamlit-a in 4 tries \(last: Unable to connect to the server: net\/http: TLS handshake timeout\)$/,
        4,
      ],
      ['exec-fails', /command terminated with exit code 2/, 1],
    ] as const) {
      const broken = await fakeTools({ FAKE_KUBECTL_MODE: mode });
      try {
        const handle = createStackHandle({
          spec,
          cluster: fakeCluster(),
          tools: createTools(broken.env),
          connect: () => ({}) as Kube,
          uninstall: () => Promise.resolve(),
          retryPauseMs: 10,
        });
        const error = (await handle.exec('streamlit-a', ['true'], options).catch((e: unknown) => e)) as Error;
        expect(error.message).to.match(expected);
        expect(await broken.calls()).to.have.length(calls);
      } finally {
        await broken.cleanup();
      }
    }
  });

  it('reports the images of the pod templates by container name, CronJobs included', async () => {
    expect(await stack.images()).to.deep.equal({
      streamlit: 'openms-streamlit:offline',
      redis: 'redis:7',
      cleanup: 'openms-streamlit:offline',
    });
  });

  it('writes label selectors in the query syntax', () => {
    const selector = {
      matchLabels: { app: 'exaflow' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['worker', 'global'] },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    };
    expect(selectorString(selector)).to.equal('app=exaflow,tier in (worker,global),!canary');
  });
});
