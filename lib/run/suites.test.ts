// The project's real suites (suites/<name>/*.spec.ts) run against a fake cluster, stack and API:
// their checks pass on a healthy stack and fail, naming what is wrong, on a broken one.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Cluster } from '../cluster/types.ts';
import { SUITE_NAMES } from '../config/types.ts';
import type { Kube } from '../k8s/client.ts';
import { createBus } from '../report/bus.ts';
import type { RunEvent } from '../report/events.ts';
import type { Stack } from '../stack/types.ts';
import { runSuites } from './mocha-runner.ts';

interface World {
  nodes: { name: string; ready: boolean }[];
  deployments: { name: string; replicas: number; ready: number }[];
  health: { status: number; body: string };
  /** Whether the web pod reaches Redis (the driver's queue and submit commands fail otherwise). */
  redis: boolean;
  /** Stack name: `openms` runs the workflow checks, any other name skips them. */
  stack?: string;
}

/** Replies of the harness's driver script (`bash -c '…python -' openms-driver <command> ...`) in a fake web pod. */
function driverReply(world: World, command: readonly string[]): string {
  const [verb, workspace] = command.slice(4);
  const down = { error: 'ConnectionError: Error 111 connecting to redis:6379. Connection refused.' };
  const finished = {
    workspace,
    job_id: 'workflow-topp-workflow-1-abc',
    status: 'finished',
    running: false,
    started_at: '2026-11-22T02:00:01',
    ended_at: '2026-11-22T02:00:04',
    result: { success: true },
    worker_host: 'rq-worker-0',
    consensus_features: 12,
    log: { started: true, finished: true, cancelled: false, error: false, outcome: 'finished' },
    results: [
      'feature-detection/sample-1.featureXML',
      'feature-detection/sample-2.featureXML',
      'feature-linking/feature_matrix.consensusXML',
      'feature-linking/feature_matrix.tsv',
    ],
    pids: [],
  };
  const replies: Record<string, unknown> = {
    queue: world.redis
      ? {
          queue: 'openms-workflows',
          app_queue_available: true,
          workers: [{ name: 'w1', hostname: 'rq-worker-0', state: 'idle' }],
          queued: 0,
        }
      : down,
    'create-workspace': { workspace: 'ws-1' },
    'add-input': { workspace: 'ws-1' },
    submit: world.redis ? { job_id: 'workflow-topp-workflow-1-abc' } : down,
    status: finished,
  };
  return JSON.stringify(replies[verb ?? ''] ?? { error: `unknown command ${verb ?? ''}` });
}

const namespace = 'mip-verify-openms';
const timeouts = { provision: 1000, deploy: 1000, ready: 400, workflow: 1000, chaos: 1000, load: 1000, cleanup: 1000 };

function fakeKube(world: World): Kube {
  const deployment = (d: World['deployments'][number]) => ({
    metadata: { name: d.name, generation: 1 },
    spec: { replicas: d.replicas },
    status: { observedGeneration: 1, replicas: d.replicas, readyReplicas: d.ready, updatedReplicas: d.replicas },
  });
  const node = (n: World['nodes'][number]) => ({
    metadata: { name: n.name },
    status: { conditions: [{ type: 'Ready', status: n.ready ? 'True' : 'False', reason: n.ready ? 'KubeletReady' : 'KubeletNotReady' }] },
  });
  const apps = {
    listNamespacedDeployment: () => Promise.resolve({ items: world.deployments.map(deployment) }),
    listNamespacedStatefulSet: () => Promise.resolve({ items: [] }),
    readNamespacedDeployment: ({ name }: { name: string }) => Promise.resolve(deployment(world.deployments.find((d) => d.name === name)!)),
  };
  const pod = (name: string) => ({ metadata: { name }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
  const pods: Record<string, unknown[]> = { 'component=streamlit': [pod('streamlit-0')], 'component=rq-worker': [pod('rq-worker-0')] };
  const core = {
    listNode: () => Promise.resolve({ items: world.nodes.map(node) }),
    listNamespacedPod: ({ labelSelector }: { labelSelector?: string }) => Promise.resolve({ items: pods[labelSelector ?? ''] ?? [] }),
    listNamespacedEvent: () => Promise.resolve({ items: [] }),
  };
  return { apps, core } as unknown as Kube;
}

async function runAgainst(world: World, suites: readonly string[]): Promise<readonly RunEvent[]> {
  const server: Server = createServer((_, response) => response.writeHead(world.health.status).end(world.health.body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const cluster = {
      name: 'fake',
      provider: 'kind',
      disposable: true,
      listNodes: () => Promise.resolve(world.nodes),
    } as unknown as Cluster;
    const stack = {
      spec: { name: world.stack ?? 'openms', namespace },
      url: (path: string) => `${base}${path}`,
      exec: (_pod: string, command: readonly string[]) => Promise.resolve(driverReply(world, command)),
    } as unknown as Stack;
    const bus = createBus({});
    const config = { trials: 1, sloMs: 1, floorMs: 1, timeouts };
    const signal = new AbortController().signal;
    await runSuites({ suites, context: { cluster, stack, kube: fakeKube(world), config, bus, signal, runDir: '/tmp/run' } });
    return bus.events;
  } finally {
    server.close();
  }
}

const healthy = (): World => ({
  nodes: [
    { name: 'control-plane', ready: true },
    { name: 'worker', ready: true },
  ],
  deployments: [
    { name: 'streamlit', replicas: 2, ready: 2 },
    { name: 'rq-worker', replicas: 1, ready: 1 },
  ],
  health: { status: 200, body: 'ok' },
  redis: true,
});

const ends = (events: readonly RunEvent[]) => events.filter((e) => e.kind === 'test.end');

describe('the suites against a fake cluster', () => {
  it('smoke passes every check on a healthy stack', async () => {
    const events = await runAgainst(healthy(), ['smoke']);
    expect(ends(events).map((e) => `${e.test}: ${e.status}`)).to.deep.equal([
      'every node of the cluster is Ready: passed',
      'every workload of the stack is Ready: passed',
      'the web health endpoint answers through the ingress: passed',
      'the web pods reach Redis and a worker listens on the workflow queue: passed',
      'a TOPP workflow on generated mzML finishes on a worker with its result files and log markers: passed',
      'the controller is healthy and every worker shows the datasets placed on its node: skipped',
      'the controller answers a descriptive-statistics request (POST /algorithms/descriptive_stats) with the statistics the CSV files give: skipped',
      'a descriptive-statistics experiment through the web backend returns the statistics the CSV files give: skipped',
    ]);
  });

  it('smoke fails, naming the node and the workload that are not Ready and the health answer', async () => {
    const world = healthy();
    world.nodes[1]!.ready = false;
    world.deployments[0]!.ready = 1;
    world.health = { status: 503, body: 'starting' };
    world.redis = false;
    const failed = ends(await runAgainst(world, ['smoke'])).filter((e) => e.status === 'failed');
    const messages = failed.map((e) => e.error?.message ?? '');
    expect(messages).to.have.length(5);
    expect(messages[3]).to.match(
      /cannot use the RQ queue, so upstream would silently run workflows locally in the web pod: .*Connection refused/,
    );
    expect(messages[4]).to.match(/driver command "submit ws-1" in pod streamlit-0 failed: ConnectionError/);
    expect(messages[0]).to.match(/worker: NotReady/);
    expect(messages[1]).to.match(/not Ready: deployment\/streamlit 1\/2 ready/);
    expect(messages[2]).to.match(/HTTP 503/);
  });

  it('every suite runs its readiness checks, and they fail on an empty namespace', async () => {
    // A stack other than openms: its workflow, browser and load checks skip, so only readiness is judged.
    const world = { ...healthy(), deployments: [], stack: 'other' };
    const events = await runAgainst(world, SUITE_NAMES);
    const suites = events.filter((e) => e.kind === 'suite.end').map((e) => `${e.suite} ${e.status}`);
    expect(suites).to.deep.equal(SUITE_NAMES.map((name) => `${name} failed`));
    const workloadChecks = ends(events).filter((e) => e.test === 'every workload of the stack is Ready');
    expect(workloadChecks).to.have.length(SUITE_NAMES.length);
    workloadChecks.forEach((e) => expect(e.error?.message).to.match(/workloads in namespace mip-verify-openms/));
  });
});
