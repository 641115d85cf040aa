// The reference OpenMS stack written for another cluster (fixtures/stacks/openms-prod-layout: its own
// namespace and name prefix, an nginx-class Ingress and a host-matching IngressRoute, a cloud
// StorageClass, a memory-tier nodeSelector, pull policy Always), fitted to a kind cluster of its own and
// reached through its host-matching route; smoke and sessions pass. The cluster is removed at the end.
import { expect } from 'chai';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, leftovers } from '../support.ts';

const name = 'mip-verify-prod-layout';
// kind also binds the next port: 18092 and 18093 stay clear of the other clusters' pairs.
const port = '18092';

interface Report {
  suites: { name: string; status: string }[];
}

async function run(suites: string, extra: readonly string[]): Promise<{ code: number; output: string; report: Report }> {
  const reportDir = await mkdtemp(join(tmpdir(), 'mip-verify-e2e-'));
  const result = await cli(
    ['--suite', suites, '--name', name, '--http-port', port, '--keep', '--report-dir', reportDir, ...extra],
    30 * 60_000,
  );
  const report = JSON.parse(await readFile(join(reportDir, 'latest', 'report.json'), 'utf8')) as Report;
  return { code: result.code, output: `${result.stdout}\n${result.stderr}`, report };
}

describe('a stack written for another cluster @nightly', function () {
  this.timeout(30 * 60_000);

  after(async function () {
    this.timeout(5 * 60_000);
    await cli(['cluster', 'down', '--name', name], 4 * 60_000);
    expect((await leftovers(name)).filter((l) => l.startsWith('container '))).to.deep.equal([]);
  });

  it('passes smoke and sessions on a stack written for another cluster, fitted and reached through its host-matching route', async () => {
    const { code, output, report } = await run('smoke,sessions', ['--stack-source', 'fixtures/stacks/openms-prod-layout']);
    expect(code, output).to.equal(0);
    expect(report.suites.map((s) => [s.name, s.status])).to.deep.equal([
      ['smoke', 'passed'],
      ['sessions', 'passed'],
    ]);
    expect(output)
      .to.include("the stack's objects name namespace openms-prod: installing them into mip-verify-openms")
      .and.include(
        'volume claim prod-app-workspaces-pvc asks for StorageClass cloud-block, which the cluster lacks: it gets mip-verify-shared',
      )
      .and.include('labelled openms.example/memory-tier=low')
      .and.include('Ingress prod-app-streamlit is not served: its class nginx is not an IngressClass of the cluster')
      .and.include('checks reach the stack through IngressRoute prod-app-streamlit-traefik with Host openms.prod.example');
  });
});
