import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Cluster, ClusterProvider } from '../cluster/types.ts';
import type { RunConfig } from '../config/types.ts';
import { ConfigError, HarnessError } from '../errors.ts';
import type { Kube } from '../k8s/client.ts';
import type { ImageSource, RunEvent, Status } from '../report/events.ts';
import type { HistoryEntry } from '../report/history.ts';
import { projectRoot } from '../paths.ts';
import type { Stack, StackDeployer } from '../stack/types.ts';
import { executeRun, type RunDeps, type RunIO } from './run.ts';

interface Scenario {
  invalid?: boolean;
  provision?: 'fails' | 'hangs';
  deployFails?: boolean;
  checks?: Status[];
  abortInSuites?: boolean;
  disposable?: boolean;
  root?: string;
  /** Earlier nights in the history file. */
  history?: HistoryEntry[];
  /** The workflow run time smoke measures tonight, ms. */
  workflowMs?: number;
  /** What the images the cluster loaded were built from, by image reference. */
  imageSources?: Record<string, ImageSource>;
}

interface Harnessed {
  deps: RunDeps;
  io: RunIO & { lines: string[]; errors: string[] };
  calls: string[];
  events: () => readonly RunEvent[];
}

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'mip-verify-run-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

function configOf(overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    suites: ['smoke'],
    stack: 'openms',
    stackSource: dir,
    images: {},
    mip: { exaflowValues: [], webValues: [] },
    cluster: { provider: 'kind', name: 'mip-verify', httpPort: 18080, sharedDir: join(dir, 'shared'), workers: 2 },
    reportDir: join(dir, 'reports'),
    historyFile: join(dir, 'reports', 'history.jsonl'),
    regressionThresholdPct: 25,
    failOnRegression: false,
    trials: 1,
    sloMs: 300_000,
    floorMs: 60_000,
    keep: 'never',
    allowDisruption: false,
    timeouts: { provision: 5000, deploy: 5000, ready: 5000, workflow: 5000, chaos: 5000, load: 5000, cleanup: 5000 },
    ...overrides,
  };
}

function cluster(calls: string[], disposable: boolean, sources?: Record<string, ImageSource>): Cluster {
  return {
    ...(sources ? { images: { loadLocal: () => Promise.resolve([]), sources: () => sources } } : {}),
    name: 'mip-verify',
    provider: 'kind',
    kubeconfigPath: '/kube/config',
    context: 'kind-mip-verify',
    ingressUrl: 'http://127.0.0.1:18080',
    disposable,
    listNodes: () => Promise.resolve([{ name: 'node-1', roles: ['control-plane'], labels: {}, kubeletVersion: 'v1.33.1', ready: true }]),
    serverVersion: () => Promise.resolve('v1.33.1'),
    exportLogs: () => Promise.resolve(void calls.push('export logs')),
  };
}

function harnessed(s: Scenario = {}, controller = new AbortController()): Harnessed {
  const calls: string[] = [];
  let written: readonly RunEvent[] = [];
  const provider: ClusterProvider = {
    name: 'kind',
    validate: () =>
      s.invalid ? Promise.reject(new ConfigError('Node image "nope" is unknown.', 'Name a kindest/node image.')) : Promise.resolve(),
    provision: async () => {
      calls.push('provision');
      if (s.provision === 'fails') throw new HarnessError('provision', 'kind create cluster exited with code 1');
      if (s.provision === 'hangs') await new Promise(() => undefined);
      return cluster(calls, s.disposable ?? true, s.imageSources);
    },
    exists: () => Promise.resolve(false),
    destroy: () => Promise.resolve(void calls.push('destroy')),
  };
  const deployer: StackDeployer = {
    kind: 'kustomize',
    validate: () => Promise.resolve(),
    deploy: (spec) => {
      calls.push('deploy');
      if (s.deployFails) return Promise.reject(new HarnessError('deploy', 'kubectl apply exited with code 1'));
      const stack = {
        spec,
        images: () => Promise.resolve({ web: 'openms/web:1' }),
        imageIds: () => Promise.resolve({ web: 'sha256:0123abcd' }),
        uninstall: () => Promise.resolve(void calls.push('uninstall')),
      };
      return Promise.resolve(stack as unknown as Stack);
    },
  };
  const deps: RunDeps = {
    now: () => new Date('2026-01-01T00:00:00Z'),
    createProvider: () => provider,
    createDeployer: () => deployer,
    connect: () => ({}) as Kube,
    collectEvidence: async (_kube, namespace, target) => {
      calls.push(`collect ${namespace}`);
      await mkdir(target, { recursive: true });
      await writeFile(join(target, 'events.txt'), 'Warning BackOff\n');
      return [join(target, 'events.txt')];
    },
    runSuites: ({ context }) => {
      calls.push('suites');
      const checks = s.checks ?? ['passed'];
      context.bus.emit({ kind: 'suite.begin', suite: 'smoke', title: 'smoke' });
      checks.forEach((status, i) => {
        context.bus.emit({ kind: 'test.begin', suite: 'smoke', test: `check ${i}` });
        context.bus.emit({
          kind: 'test.end',
          suite: 'smoke',
          test: `check ${i}`,
          status,
          ms: 1,
          ...(status === 'failed' ? { error: { message: 'it broke', name: 'AssertionError' } } : {}),
        });
      });
      if (s.workflowMs !== undefined)
        context.bus.emit({ kind: 'metric', suite: 'smoke', name: 'workflow run time', value: s.workflowMs, unit: 'ms' });
      if (s.abortInSuites) controller.abort();
      return Promise.resolve({ failures: checks.filter((c) => c === 'failed').length, files: [] });
    },
    clusterSecrets: () => ['kubeconfig-token-value'],
    stackSecrets: () => Promise.resolve(['stack-secret-value']),
    killAllChildren: () => calls.push('kill children'),
    newRunId: () => 'run-1',
    createRunDir: async (reportDir, runId) => {
      await mkdir(join(reportDir, runId), { recursive: true });
      return join(reportDir, runId);
    },
    writeReports: (_runDir, events) => Promise.resolve(void ((written = [...events]), calls.push('write reports'))),
    pointLatest: () => Promise.resolve(void calls.push('point latest')),
    readHistory: () => Promise.resolve(s.history ?? []),
    appendHistory: (file) => Promise.resolve(void calls.push(`append history${file.endsWith('history.jsonl') ? '' : ` to ${file}`}`)),
    projectRoot: s.root ?? projectRoot,
  };
  const lines: string[] = [];
  const errors: string[] = [];
  const io = {
    out: (l: string) => lines.push(l),
    err: (l: string) => errors.push(l),
    signal: controller.signal,
    isTTY: false,
    lines,
    errors,
  };
  return { deps, io, calls, events: () => written };
}

const runEnd = (events: readonly RunEvent[]) => events.find((e) => e.kind === 'run.end');
const phaseEnds = (events: readonly RunEvent[]) => events.filter((e) => e.kind === 'phase.end').map((e) => `${e.phase} ${e.status}`);

describe('executeRun', () => {
  it('exits 0 when every check passed, destroys the cluster and points at the report', async () => {
    const h = harnessed();
    expect(await executeRun(configOf(), h.io, h.deps)).to.equal(0);
    expect(h.calls).to.deep.equal(['provision', 'deploy', 'suites', 'destroy', 'write reports', 'point latest', 'append history']);
    expect(phaseEnds(h.events())).to.deep.equal(['validate passed', 'provision passed', 'deploy passed', 'suites passed']);
    expect(runEnd(h.events())).to.include({ status: 'passed', exitCode: 0 });
    expect(h.events()[0]).to.deep.include({ kind: 'run.begin', runId: 'run-1', tool: { name: 'mip-verify', version: '0.1.0' } });
    expect(h.events().find((e) => e.kind === 'cluster.ready')).to.include({ kubernetesVersion: 'v1.33.1' });
    expect(h.events().find((e) => e.kind === 'stack.ready')).to.include({ namespace: 'mip-verify-openms' });
    expect(h.events().find((e) => e.kind === 'stack.ready')).to.deep.include({ imageIds: { web: 'sha256:0123abcd' } });
    expect(
      h.events().find((e) => e.kind === 'stack.images'),
      'the IDs read again before teardown',
    ).to.deep.include({ imageIds: { web: 'sha256:0123abcd' } });
    const runDir = join(dir, 'reports', 'run-1');
    expect(h.io.lines.slice(-3)).to.deep.equal([
      'PASSED: every check passed.',
      '1 passed, 0 failed',
      `Report: ${join(runDir, 'index.html')}`,
    ]);
    expect(JSON.parse(await readFile(join(runDir, 'config.json'), 'utf8'))).to.include({ stack: 'openms' });
    expect(await readFile(join(runDir, 'events.jsonl'), 'utf8')).to.match(/"kind":"run.end"/);
  });

  it('records what the images loaded into the nodes were built from, with the IDs read before teardown', async () => {
    const source = { digest: `sha256:${'9f'.repeat(32)}`, revision: '3f1c0de8a1b2c3d4e5f60718293a4b5c6d7e8f90', dirty: false };
    const h = harnessed({ imageSources: { 'openms/web:1': source } });
    expect(await executeRun(configOf(), h.io, h.deps)).to.equal(0);
    expect(h.events().find((e) => e.kind === 'stack.images')).to.deep.include({
      imageIds: { web: 'sha256:0123abcd' },
      sources: { 'openms/web:1': source },
    });
  });

  it('exits 1 when a check failed, collecting evidence before anything is torn down', async () => {
    const h = harnessed({ checks: ['passed', 'failed'] });
    expect(await executeRun(configOf(), h.io, h.deps)).to.equal(1);
    expect(h.calls.slice(0, 6)).to.deep.equal(['provision', 'deploy', 'suites', 'collect mip-verify-openms', 'export logs', 'destroy']);
    const kinds = h.events().map((e) => e.kind);
    expect(kinds.lastIndexOf('artifact')).to.be.below(kinds.indexOf('teardown'));
    const artifacts = h
      .events()
      .filter((e) => e.kind === 'artifact')
      .map((e) => e.path);
    expect(artifacts).to.deep.equal([join('artifacts', 'mip-verify-openms', 'events.txt'), join('artifacts', 'cluster-logs')]);
    expect(runEnd(h.events())).to.include({ status: 'failed', exitCode: 1 });
    expect(h.io.lines).to.include('1 passed, 1 failed');
  });

  it('exits 2 on a configuration error, creating nothing: no run folder, report, history line or cluster', async () => {
    const h = harnessed({ invalid: true });
    const reportDir = join(dir, 'untouched');
    expect(await executeRun(configOf({ reportDir }), h.io, h.deps)).to.equal(2);
    expect(h.calls).to.deep.equal([]);
    expect(existsSync(reportDir)).to.equal(false);
    expect(h.io.lines).to.deep.equal([]);
    expect(h.io.errors).to.deep.equal(['Node image "nope" is unknown. Name a kindest/node image.']);
  });

  it('exits 2 when the reference stack is not in the checkout, and says to pass --stack-source', async () => {
    const h = harnessed({ root: dir });
    expect(await executeRun(configOf({ stackSource: undefined }), h.io, h.deps)).to.equal(2);
    expect(h.calls).to.deep.equal([]);
    expect(h.io.errors.join('\n'))
      .to.match(/reference openms stack is not available/)
      .and.to.match(/--stack-source/);
  });

  it('exits 3 when provisioning fails, and still destroys what was half made, printing no stack trace', async () => {
    const h = harnessed({ provision: 'fails' });
    expect(await executeRun(configOf(), h.io, h.deps)).to.equal(3);
    expect(h.calls.slice(0, 2)).to.deep.equal(['provision', 'destroy']);
    expect(phaseEnds(h.events())).to.deep.equal(['validate passed', 'provision failed']);
    expect(h.io.lines.join('\n')).to.match(/Provisioning the kind cluster failed after .*: kind create cluster exited with code 1/);
    expect(h.io.errors.join('\n')).to.not.match(/\n\s+at /);
  });

  it('exits 3 when deploying fails, with evidence of the namespace collected before the cluster goes', async () => {
    const h = harnessed({ deployFails: true });
    expect(await executeRun(configOf(), h.io, h.deps)).to.equal(3);
    expect(h.calls.slice(0, 5)).to.deep.equal(['provision', 'deploy', 'collect mip-verify-openms', 'export logs', 'destroy']);
    expect(runEnd(h.events())).to.include({ status: 'error', exitCode: 3 });
  });

  it('exits 3 when a setup outlives its budget', async () => {
    const h = harnessed({ provision: 'hangs' });
    const config = configOf({ timeouts: { ...configOf().timeouts, provision: 50 } });
    expect(await executeRun(config, h.io, h.deps)).to.equal(3);
    expect(runEnd(h.events())).to.have.nested.property('error.message', 'Provisioning the kind cluster did not finish within 50ms.');
  });

  it('exits 130 when interrupted: tears down, then kills leftover children', async () => {
    const h = harnessed({ abortInSuites: true, checks: ['failed'] });
    expect(await executeRun(configOf(), h.io, h.deps)).to.equal(130);
    expect(h.calls.slice(0, 5)).to.deep.equal(['provision', 'deploy', 'suites', 'destroy', 'kill children']);
    expect(runEnd(h.events())).to.include({ status: 'interrupted', exitCode: 130 });
  });

  it('with --keep skips destroy and prints how to reach the cluster', async () => {
    const h = harnessed();
    expect(await executeRun(configOf({ keep: 'always' }), h.io, h.deps)).to.equal(0);
    expect(h.calls).to.not.include('destroy');
    expect(h.io.lines.map((l) => l.trim())).to.include('kubectl --kubeconfig /kube/config --context kind-mip-verify get pods -A');
  });

  it("with --keep-on-failure keeps a failed run's cluster and destroys a passed one's", async () => {
    const failed = harnessed({ checks: ['failed'] });
    await executeRun(configOf({ keep: 'on-failure' }), failed.io, failed.deps);
    expect(failed.calls).to.not.include('destroy');
    const passed = harnessed({ checks: ['passed'] });
    await executeRun(configOf({ keep: 'on-failure' }), passed.io, passed.deps);
    expect(passed.calls).to.include('destroy');
  });

  it('uninstalls the stack before letting go of a cluster the run did not create', async () => {
    const h = harnessed({ disposable: false });
    await executeRun(configOf(), h.io, h.deps);
    expect(h.calls.slice(3, 5)).to.deep.equal(['uninstall', 'destroy']);
    expect(
      h
        .events()
        .filter((e) => e.kind === 'teardown')
        .map((e) => `${e.title} ${e.status}`),
    ).to.deep.equal(['Removing the openms stack passed', 'Removing the kind cluster passed']);
  });

  describe('against the trend', () => {
    const nights = [1, 2, 3].map((n): HistoryEntry => ({
      runId: `night-${n}`,
      startedAt: `2025-12-0${n}T02:00:00.000Z`,
      status: 'passed',
      durationMs: 60_000,
      suites: [],
      figures: { 'smoke: workflow run time': 3000 },
    }));

    it('logs a figure slower than the median of the earlier nights, and still passes', async () => {
      const h = harnessed({ history: nights, workflowMs: 9000 });
      expect(await executeRun(configOf(), h.io, h.deps)).to.equal(0);
      const logs = h
        .events()
        .filter((e) => e.kind === 'log')
        .map((e) => (e.kind === 'log' ? e.message : ''));
      expect(logs).to.include('Slower than the trend: smoke: workflow run time: 9s, +200% on the median of 3 nights (3s)');
    });

    it('fails with exit 1 under --fail-on-regression, naming the figure; a figure within the threshold does not', async () => {
      const slow = harnessed({ history: nights, workflowMs: 9000 });
      expect(await executeRun(configOf({ failOnRegression: true }), slow.io, slow.deps)).to.equal(1);
      expect(runEnd(slow.events())).to.deep.include({ status: 'failed', exitCode: 1 });
      expect(JSON.stringify(runEnd(slow.events()))).to.include(
        '1 figure is slower than the trend by over 25% (--fail-on-regression): smoke: workflow run time',
      );
      const fine = harnessed({ history: nights, workflowMs: 3500 });
      expect(await executeRun(configOf({ failOnRegression: true }), fine.io, fine.deps)).to.equal(0);
    });
  });
});
