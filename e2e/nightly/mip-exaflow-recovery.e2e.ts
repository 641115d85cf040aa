// Recovery on the real Exaflow engine (nightly: one trial of each scenario takes about 15 minutes): its
// images built from a checkout (MIP_VERIFY_EXAFLOW_SOURCE; skipped with the reason when there is none),
// its own chart, on a kind cluster of its own.
// Every scenario must record its phases and total, and the probe (a descriptive-statistics request to
// the controller) must have answered rightly after the node came back.
import { expect } from 'chai';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { projectRoot } from '../../lib/paths.ts';
import { cli, leftovers } from '../support.ts';

const name = 'mip-verify-exaflow-recovery';
// kind also binds the next port: 18092 and 18093 stay clear of the per-change clusters' pairs.
const port = '18092';
const exaflowSource = resolve(projectRoot, process.env.MIP_VERIFY_EXAFLOW_SOURCE ?? 'no-exaflow-checkout-given');
const SCENARIOS = ['worker-down', 'worker-down-tolerations-30s', 'worker-reboot', 'control-plane-down'];

interface Report {
  recovery?: { trials: { scenario: string; phases: Record<string, number>; totalMs: number; passed: boolean }[] };
}

describe('MIP stack on the real Exaflow engine: recovery @nightly', function () {
  this.timeout(60 * 60_000);

  before(async function () {
    if (
      !(await stat(join(exaflowSource, 'pyproject.toml')).then(
        () => true,
        () => false,
      ))
    ) {
      process.stdout.write(`      (skipped: no Exaflow checkout at ${exaflowSource}; set MIP_VERIFY_EXAFLOW_SOURCE to one)\n`);
      this.skip();
    }
  });

  after(async function () {
    this.timeout(5 * 60_000);
    await cli(['cluster', 'down', '--name', name], 4 * 60_000);
    expect(await leftovers(name)).to.deep.equal([]);
  });

  it('one trial per scenario on the real engine, each with its phases and total in report.json', async () => {
    const build = await cli(['image', 'build', '--exaflow-source', exaflowSource], 40 * 60_000);
    expect(build.code, `${build.stdout}\n${build.stderr}`).to.equal(0);
    const reportDir = await mkdtemp(join(tmpdir(), 'mip-verify-e2e-'));
    const started = performance.now();
    const args = ['--stack', 'mip', '--exaflow-chart', join(exaflowSource, 'kubernetes'), '--suite', 'recovery', '--trials', '1'];
    const run = await cli([...args, '--name', name, '--http-port', port, '--keep', '--report-dir', reportDir], 45 * 60_000);
    const output = `${run.stdout}\n${run.stderr}`;
    process.stdout.write(`      (recovery on the real engine: ${Math.round((performance.now() - started) / 1000)} s)\n`);
    // Default tolerations (300 s) cannot meet a 5-minute SLO for a dead node: that trial fails, truthfully.
    expect(run.code, output).to.be.oneOf([0, 1]);
    const report = JSON.parse(await readFile(join(reportDir, 'latest', 'report.json'), 'utf8')) as Report;
    const trials = report.recovery?.trials ?? [];
    expect(trials.map((t) => t.scenario)).to.deep.equal(SCENARIOS);
    for (const t of trials) {
      expect(t.totalMs, t.scenario).to.be.greaterThan(0);
      expect(Object.keys(t.phases), t.scenario).to.not.be.empty;
      process.stdout.write(
        `      ${t.scenario}: ${Math.round(t.totalMs / 1000)} s (${Object.entries(t.phases)
          .map(([p, ms]) => `${p} ${Math.round(ms / 1000)} s`)
          .join(', ')})\n`,
      );
    }
    expect(
      trials.filter((t) => t.scenario !== 'worker-down').every((t) => t.passed),
      output,
    ).to.equal(true);
  });
});
