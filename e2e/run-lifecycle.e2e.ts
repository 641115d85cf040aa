// A whole `mip-verify run` on kind as a user starts it: the cluster is created, the suites run,
// the reports are written and the cluster is removed; and Ctrl-C in the middle leaves nothing behind.
import { expect } from 'chai';
import { mkdtemp, readFile, readlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeImage } from '../lib/cluster/offline/addons.ts';
import { runTool } from '../lib/exec.ts';
import { projectRoot } from '../lib/paths.ts';
import { delay } from '../lib/wait.ts';
import { cli, leftovers, startCli } from './support.ts';

const probeStack = join(projectRoot, 'e2e/fixtures/probe-stack');

describe('mip-verify run on kind', function () {
  this.timeout(20 * 60_000);

  it('passes `mip-verify --suite smoke` on the reference OpenMS stack, as a user runs it', async () => {
    const reportDir = await mkdtemp(join(tmpdir(), 'mip-verify-e2e-'));
    const run = await cli(['--suite', 'smoke', '--report-dir', reportDir], 15 * 60_000);
    expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
    const report = JSON.parse(await readFile(join(reportDir, 'latest', 'report.json'), 'utf8')) as {
      status: string;
      stack: { name: string; images: Record<string, string> };
      suites: { name: string; status: string; checks: { status: string }[] }[];
    };
    expect(report.status).to.equal('passed');
    expect(report.stack.name).to.equal('openms');
    expect(report.suites.map((s) => [s.name, s.status])).to.deep.equal([['smoke', 'passed']]);
    expect(report.suites[0]?.checks.length).to.be.greaterThanOrEqual(3);
    expect(await leftovers()).to.deep.equal([]);
  });

  it('fails smoke on a stack that is not OpenMS, naming the health endpoint, and still removes the cluster', async () => {
    const reportDir = await mkdtemp(join(tmpdir(), 'mip-verify-e2e-'));
    const image = `mip-verify.local/probe=${await probeImage()}`;
    // The health check would wait the whole default readiness budget (5m) for an answer that never comes.
    const config = join(reportDir, 'mip-verify.config.yaml');
    await writeFile(config, 'timeouts:\n  ready: 40s\n');
    const run = await cli(
      [
        '--suite',
        'smoke',
        '--stack-source',
        probeStack,
        '--image',
        image,
        '--report-dir',
        reportDir,
        '--name',
        'mip-verify-run',
        '--config',
        config,
      ],
      15 * 60_000,
    );
    // The probe stack is not OpenMS: the readiness checks pass and the OpenMS health check fails.
    expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(1);
    const report = JSON.parse(await readFile(join(reportDir, 'latest', 'report.json'), 'utf8')) as {
      status: string;
      cluster: { nodes: unknown[]; kubernetesVersion: string };
      suites: { name: string; checks: { name: string; status: string; error?: { message: string } }[] }[];
    };
    expect(report.cluster.nodes).to.have.length(3);
    expect(report.cluster.kubernetesVersion).to.match(/^v1\.33\./);
    const checks = report.suites[0]?.checks ?? [];
    expect(
      checks
        .filter((c) => c.status === 'passed')
        .map((c) => c.name)
        .join('\n'),
    )
      .to.match(/node/i)
      .and.to.match(/workload/i);
    // The probe stack is not OpenMS: its health check and the workflow checks fail, the readiness checks do not.
    const failed = checks.filter((c) => c.status === 'failed');
    expect(failed.map((c) => c.name).join('\n')).to.not.match(/node|workload/i);
    const health = failed.find((c) => /health endpoint/.test(c.name));
    expect(health?.error?.message).to.include('/_stcore/health');
    expect(await readlink(join(reportDir, 'latest'))).to.match(/^\d{8}-/);
    for (const file of ['events.jsonl', 'junit.xml', 'index.html', 'config.json']) {
      expect((await readFile(join(reportDir, 'latest', file), 'utf8')).length, file).to.be.greaterThan(0);
    }
    expect(await leftovers('mip-verify-run')).to.deep.equal([]);
  });

  // CI systems cancel a job with SIGTERM (then SIGKILL): it must tear down exactly like Ctrl-C, exiting 128 + its number.
  for (const [signal, exitCode, name] of [
    ['SIGINT', 130, 'mip-verify-int'],
    ['SIGTERM', 143, 'mip-verify-term'],
  ] as const) {
    it(`tears everything down on ${signal} during provisioning and exits ${exitCode}`, async () => {
      const reportDir = await mkdtemp(join(tmpdir(), 'mip-verify-e2e-'));
      expect(await leftovers(name), 'nothing of an earlier run is left').to.deep.equal([]);
      const {
        child,
        output: printed,
        exited,
      } = startCli(['--suite', 'smoke', '--stack-source', probeStack, '--report-dir', reportDir, '--name', name]);
      const creating = (): boolean => printed().includes(`creating kind cluster '${name}'`);
      for (let i = 0; i < 120 && !(creating() && (await leftovers(name)).length > 0); i++) await delay(1000);
      expect(await leftovers(name), 'kind started creating nodes').to.not.deep.equal([]);
      const sent = Date.now();
      child.kill(signal);
      const code = await exited;
      process.stdout.write(`      (${signal} to exit: ${Math.round((Date.now() - sent) / 1000)} s)\n`);
      expect(code, printed()).to.equal(exitCode);
      expect(await leftovers(name)).to.deep.equal([]);
      const children = await runTool('pgrep', ['-f', name]).then(
        (r) => r.stdout.trim(),
        () => '',
      );
      expect(children, 'no child process of the run is left').to.equal('');
    });
  }
});
