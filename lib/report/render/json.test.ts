import { expect } from 'chai';
import type { RunEventBody } from '../events.ts';
import { runBegin, runEnd, stamp, suite, trial } from '../../../fixtures/support/recorded-events.ts';
import { renderReportJson } from './json.ts';

describe('report.json', () => {
  const cluster: RunEventBody = {
    kind: 'cluster.ready',
    provider: 'kind',
    name: 'mv',
    kubernetesVersion: 'v1.33.13',
    nodes: [{ name: 'mv-control-plane', roles: ['control-plane'], labels: { master: 'true' }, kubeletVersion: 'v1.33.13', ready: true }],
  };
  const stack: RunEventBody = {
    kind: 'stack.ready',
    name: 'openms',
    source: 'fixtures/stacks/openms',
    namespace: 'openms',
    images: { web: 'web:1' },
  };

  it('has the PRODUCT.md §2 fields plus schemaVersion, exitCode, steps and metrics', () => {
    const report = renderReportJson(
      stamp([
        runBegin(),
        cluster,
        stack,
        { kind: 'suite.begin', suite: 'smoke', title: 'Smoke' },
        { kind: 'test.begin', suite: 'smoke', test: 'health' },
        { kind: 'step.begin', suite: 'smoke', test: 'health', id: 1, title: 'GET /_stcore/health' },
        { kind: 'step.end', suite: 'smoke', test: 'health', id: 1, title: 'GET /_stcore/health', status: 'passed', ms: 120 },
        { kind: 'artifact', suite: 'smoke', test: 'health', path: 'artifacts/health.txt', contentType: 'text/plain', title: 'Response' },
        { kind: 'test.end', suite: 'smoke', test: 'health', status: 'passed', ms: 130 },
        { kind: 'metric', suite: 'smoke', name: 'health.latency', value: 12, unit: 'ms', precisionMs: 1 },
        { kind: 'suite.end', suite: 'smoke', status: 'passed', ms: 200 },
        runEnd('passed', 0),
      ]),
    );
    expect(Object.keys(report)).to.deep.equal([
      'schemaVersion',
      'runId',
      'startedAt',
      'finishedAt',
      'status',
      'exitCode',
      'tool',
      'cluster',
      'stack',
      'suites',
      'metrics',
    ]);
    expect(report).to.include({
      schemaVersion: 1,
      runId: '20261122-020000-abcd',
      status: 'passed',
      exitCode: 0,
      startedAt: '2026-11-22T02:00:00.000Z',
      finishedAt: '2026-11-22T02:00:11.000Z',
    });
    expect(report.tool).to.deep.equal({ name: 'mip-verify', version: '9.9.9' });
    expect(report.cluster).to.deep.include({ provider: 'kind', kubernetesVersion: 'v1.33.13' });
    expect(report.stack).to.deep.equal({ name: 'openms', source: 'fixtures/stacks/openms', images: { web: 'web:1' } });
    expect(report.suites[0]?.checks[0]).to.deep.equal({
      name: 'health',
      status: 'passed',
      durationMs: 130,
      steps: [{ title: 'GET /_stcore/health', status: 'passed', durationMs: 120 }],
      evidence: [{ path: 'artifacts/health.txt', contentType: 'text/plain', title: 'Response' }],
    });
    expect(report.metrics).to.deep.equal([{ suite: 'smoke', name: 'health.latency', value: 12, unit: 'ms', precisionMs: 1 }]);
    expect(report).not.to.have.property('recovery');
  });

  it('computes status instead of copying run.end', () => {
    const failedCheck = renderReportJson(
      stamp([
        runBegin(),
        ...suite('smoke', [
          ['a', 'passed'],
          ['b', 'failed', 'boom'],
        ]),
        runEnd('passed', 0),
      ]),
    );
    expect(failedCheck.status).to.equal('failed');
    expect(failedCheck.suites[0]?.checks[1]?.error).to.deep.equal({ name: 'AssertionError', message: 'boom' });
    const failedEnd = renderReportJson(stamp([runBegin(), ...suite('smoke', [['a', 'passed']]), runEnd('failed', 1)]));
    expect(failedEnd.status).to.equal('failed');
    expect(failedEnd.suites[0]?.status).to.equal('passed');
  });

  it('reports a run without run.end as failed, saying it did not finish', () => {
    const report = renderReportJson(stamp([runBegin(), ...suite('smoke', [['a', 'passed']])]));
    expect(report.status).to.equal('failed');
    expect(report.exitCode).to.equal(null);
    expect(report.error?.message).to.match(/^The run did not finish/);
  });

  it('keeps the reason of a skipped suite and leaves cluster and stack null when never ready', () => {
    const report = renderReportJson(
      stamp([
        runBegin(),
        { kind: 'suite.begin', suite: 'cleanup', title: 'Cleanup' },
        { kind: 'suite.end', suite: 'cleanup', status: 'skipped', ms: 0, reason: 'no CronJob' },
        runEnd('passed', 0),
      ]),
    );
    expect(report.suites).to.deep.equal([{ name: 'cleanup', status: 'skipped', durationMs: 0, reason: 'no CronJob', checks: [] }]);
    expect([report.cluster, report.stack]).to.deep.equal([null, null]);
  });

  it('adds recovery trials with their phases and nearest-rank percentiles per scenario', () => {
    const totals = [90_000, 120_000, 100_000, 150_000, 110_000];
    const bodies = [
      runBegin(),
      ...totals.map((ms, i) => trial('worker-node-reboot', i + 1, ms)),
      trial('control-plane-down', 1, 70_000),
      runEnd('passed', 0),
    ];
    const recovery = renderReportJson(stamp(bodies)).recovery;
    expect(recovery?.sloMs).to.equal(300_000);
    expect(recovery?.trials[0]).to.deep.equal({
      scenario: 'worker-node-reboot',
      trial: 1,
      target: 'node-a',
      phases: { nodeNotReady: 9000, podsReady: 81_000, serviceAnswering: 90_000 },
      totalMs: 90_000,
      passed: true,
    });
    expect(recovery?.percentiles).to.deep.equal({
      'worker-node-reboot': { p50Ms: 110_000, p95Ms: 150_000, maxMs: 150_000 },
      'control-plane-down': { p50Ms: 70_000, p95Ms: 70_000, maxMs: 70_000 },
    });
  });

  it('pins each image by the ID its running pod reported, when the run saw one', () => {
    const pinned: RunEventBody = { ...stack, images: { web: 'web:1', redis: 'redis:7' }, imageIds: { web: 'sha256:5e1f0c27d9a0' } };
    const report = renderReportJson(stamp([runBegin(), cluster, pinned, runEnd('passed', 0)]));
    expect(report.stack).to.deep.equal({
      name: 'openms',
      source: 'fixtures/stacks/openms',
      images: { web: 'web:1', redis: 'redis:7' },
      imageIds: { web: 'sha256:5e1f0c27d9a0' },
    });
  });

  it('names the checkout an image was built from, when the image says so', () => {
    const images: RunEventBody = { ...stack, images: { web: 'mip-verify.local/openms-template:3e80bc76380d', redis: 'redis:7' } };
    const source = { digest: `sha256:${'9f'.repeat(32)}`, revision: '3f1c0de8a1b2c3d4e5f60718293a4b5c6d7e8f90', dirty: true };
    const pinned: RunEventBody = {
      kind: 'stack.images',
      imageIds: { web: 'sha256:5e1f0c27d9a0' },
      sources: { 'mip-verify.local/openms-template:3e80bc76380d': source },
    };
    const report = renderReportJson(stamp([runBegin(), cluster, images, pinned, runEnd('passed', 0)]));
    expect(report.stack?.imageSources).to.deep.equal({ 'mip-verify.local/openms-template:3e80bc76380d': source });
    const before = renderReportJson(stamp([runBegin(), cluster, images, { ...pinned, sources: undefined }, runEnd('passed', 0)]));
    expect(before.stack, 'a stream from before sources were recorded').not.to.have.property('imageSources');
  });
});
