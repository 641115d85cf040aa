import { expect } from 'chai';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ApiException, type CoreV1Event, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { collectEvidence, type EvidenceApi } from './diagnostics.ts';

const event = (reason: string, at: string, message: string): CoreV1Event => ({
  metadata: {},
  involvedObject: { kind: 'Pod', name: 'web-1' },
  reason,
  type: 'Warning',
  message,
  lastTimestamp: new Date(at),
});

const restarted: V1Pod = {
  metadata: { name: 'web-1', namespace: 'openms' },
  spec: { nodeName: 'worker', containers: [] },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
    containerStatuses: [
      {
        name: 'streamlit',
        image: 'openms/streamlit:1',
        imageID: '',
        ready: false,
        restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error' } },
      },
      { name: 'sidecar', image: 'busybox', imageID: '', ready: true, restartCount: 0, state: { running: {} } },
    ],
  },
};

const deployment: V1Deployment = {
  metadata: { name: 'web', namespace: 'openms', generation: 2 },
  spec: { replicas: 2, selector: {}, template: { spec: { containers: [{ name: 'streamlit', image: 'openms/streamlit:1' }] } } },
  status: {
    readyReplicas: 1,
    observedGeneration: 2,
    conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }],
  },
};

function fakeKube(overrides: Partial<EvidenceApi['core']> = {}): EvidenceApi {
  return {
    core: {
      listNamespacedEvent: () =>
        Promise.resolve({
          items: [event('BackOff', '2026-11-22T13:47:00Z', 'Back-off restarting'), event('Pulled', '2026-11-22T13:45:00Z', 'pulled')],
        }),
      listNamespacedPod: () => Promise.resolve({ items: [restarted] }),
      readNamespacedPodLog: ({ container, previous }) =>
        container === 'sidecar'
          ? Promise.reject(new ApiException(400, 'x', { message: 'container sidecar is not valid' }, {}))
          : Promise.resolve(`${container} ${previous ? 'previous' : 'current'} log with password hunter2\n`),
      ...overrides,
    },
    apps: { listNamespacedDeployment: () => Promise.resolve({ items: [deployment] }) },
  };
}

describe('collectEvidence', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evidence-test-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes events by time, describe-like summaries and log tails, one file per object', async () => {
    const files = await collectEvidence(fakeKube(), 'openms', join(dir, 'artifacts'), { redact: ['hunter2'] });
    expect(files.map((f) => basename(f)).sort()).to.deep.equal([
      'deployment-web.txt',
      'errors.txt',
      'events.txt',
      'logs-web-1-streamlit-previous.txt',
      'logs-web-1-streamlit.txt',
      'pod-web-1.txt',
    ]);
    const events = (await readFile(join(dir, 'artifacts', 'events.txt'), 'utf8')).trim().split('\n');
    expect(events[0]).to.contain('Pulled').and.contain('Pod/web-1');
    expect(events[1]).to.contain('BackOff');
    const described = await readFile(join(dir, 'artifacts', 'pod-web-1.txt'), 'utf8');
    expect(described).to.contain('Phase: Running').and.contain('restarts 3').and.contain('Waiting: CrashLoopBackOff');
    expect(described).to.contain('last state: Terminated: Error (exit 1)');
    expect(await readFile(join(dir, 'artifacts', 'deployment-web.txt'), 'utf8'))
      .to.contain('Replicas: 2 desired')
      .and.contain('Available=False MinimumReplicasUnavailable');
    const log = await readFile(join(dir, 'artifacts', 'logs-web-1-streamlit-previous.txt'), 'utf8');
    expect(log).to.equal('streamlit previous log with password ***\n');
    expect(await readFile(join(dir, 'artifacts', 'errors.txt'), 'utf8')).to.equal(
      'logs of web-1/sidecar: HTTP 400: container sidecar is not valid\n',
    );
  });

  it('never throws: with every call failing it still writes what went wrong', async () => {
    const broken: EvidenceApi = {
      core: {
        listNamespacedEvent: () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })),
        listNamespacedPod: () => Promise.reject(new Error('socket hang up')),
        readNamespacedPodLog: () => Promise.resolve(''),
      },
      apps: { listNamespacedDeployment: () => Promise.reject(new ApiException(403, 'x', { message: 'forbidden' }, {})) },
    };
    const files = await collectEvidence(broken, 'openms', dir);
    expect(files.map((f) => basename(f))).to.deep.equal(['errors.txt']);
    expect(await readFile(join(dir, 'errors.txt'), 'utf8')).to.equal(
      'events: ECONNREFUSED\ndeployments: HTTP 403: forbidden\npods: socket hang up\n',
    );
  });

  it('stops collecting when aborted and says what it skipped', async () => {
    const files = await collectEvidence(fakeKube(), 'openms', dir, { signal: AbortSignal.abort() });
    expect(files.map((f) => basename(f))).to.deep.equal(['errors.txt']);
    expect(await readdir(dir)).to.deep.equal(['errors.txt']);
    expect(await readFile(join(dir, 'errors.txt'), 'utf8')).to.contain('events: skipped, collection was interrupted');
  });
});
