// The OpenMS template's own production overlay, unchanged, on a kind cluster of its own (nightly: the
// worker-kill check waits out its 5-minute objective): the template's worker runs with RQ's default
// timings, which cannot meet the objective, so chaos fails naming them and the flags that would; the
// other suites run as on the per-change set. Needs MIP_VERIFY_OPENMS_SOURCE (a template checkout).
import { expect } from 'chai';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cli, leftovers } from '../support.ts';

const name = 'mip-verify-upstream';
// kind also binds the next port: 18088 and 18089 stay clear of the other clusters' pairs.
const port = '18088';
const TEMPLATE = process.env.MIP_VERIFY_OPENMS_SOURCE ? resolve(process.env.MIP_VERIFY_OPENMS_SOURCE) : undefined;

interface Report {
  suites: { name: string; status: string; checks: { name: string; status: string; error?: { message: string } }[] }[];
}

describe("the OpenMS template's unchanged production overlay @nightly", function () {
  this.timeout(60 * 60_000);

  before(function () {
    if (!TEMPLATE) this.skip();
  });

  after(async function () {
    this.timeout(5 * 60_000);
    await cli(['cluster', 'down', '--name', name], 4 * 60_000);
    expect((await leftovers(name)).filter((l) => l.startsWith('container '))).to.deep.equal([]);
  });

  it("fails chaos's worker-kill check on RQ's default timings, naming them and the flags that would meet the objective", async () => {
    const source = TEMPLATE ?? '';
    const built = await cli(['image', 'build', '--openms-source', source], 40 * 60_000);
    expect(built.code, built.stderr).to.equal(0);
    const reportDir = await mkdtemp(join(tmpdir(), 'mip-verify-e2e-'));
    const args = [
      '--suite',
      'chaos',
      '--stack-source',
      join(source, 'k8s/overlays/prod'),
      '--name',
      name,
      '--http-port',
      port,
      '--keep',
      '--report-dir',
      reportDir,
    ];
    const run = await cli(args, 40 * 60_000);
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).to.equal(1);
    const report = JSON.parse(await readFile(join(reportDir, 'latest', 'report.json'), 'utf8')) as Report;
    const kill = report.suites.find((s) => s.name === 'chaos')?.checks.find((c) => c.name.startsWith('a worker pod killed mid-job'));
    expect(kill?.status, output).to.equal('failed');
    expect(kill?.error?.message).to.match(
      /RQ flags: RQ defaults, over the objective of 5m; `rq worker --worker-ttl 60 --maintenance-interval 30` would meet it/,
    );
  });
});
