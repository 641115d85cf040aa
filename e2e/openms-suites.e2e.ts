// The five OpenMS suites on the reference stack as a user runs them, the reference stack laid out for
// another cluster (fitted to this one and reached through its host-matching route), then each seeded
// fault of fixtures/faults/ against its own suite: the healthy stacks pass, every fault fails its suite
// with a message naming what broke. One kept kind cluster serves every run; it is removed at the end.
import { expect } from 'chai';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../lib/exec.ts';
import { cacheDir, toolPath } from '../lib/paths.ts';
import { cli, leftovers } from './support.ts';

const name = 'mip-verify-suites';
const kubectl = ['--kubeconfig', join(cacheDir(process.env), `kubeconfig-${name}`), '--context', `kind-${name}`];
const SUITES = ['smoke', 'sessions', 'scaling', 'chaos', 'cleanup'];

/** Each seeded fault, the suite it must fail and what the failure message must name. */
const FAULTS: readonly { fault: string; suite: string; names: RegExp }[] = [
  { fault: 'smoke-worker-own-volume', suite: 'smoke', names: /result files missing/ },
  { fault: 'sessions-no-affinity', suite: 'sessions', names: /stroute/ },
  { fault: 'scaling-wrong-queue', suite: 'scaling', names: /openms-workflows/ },
  { fault: 'chaos-web-emptydir', suite: 'chaos', names: /params\.json/ },
  { fault: 'cleanup-deletes-fresh', suite: 'cleanup', names: /fresh workspace \S+ \(age [^)]+\) was deleted[\s\S]*MAX_AGE_SECONDS=0|MAX_AGE_SECONDS=0[\s\S]*fresh workspace/ },
];

interface Report {
  status: string;
  durationMs?: number;
  suites: { name: string; status: string; checks: { name: string; status: string; error?: { message: string } }[] }[];
}

async function run(suites: string, extra: readonly string[] = []): Promise<{ code: number; output: string; report: Report }> {
  const reportDir = await mkdtemp(join(tmpdir(), 'mip-verify-e2e-'));
  const config = join(reportDir, 'mip-verify.config.yaml');
  // A fault that keeps pods from being Ready would otherwise wait the whole default budget (5m).
  await writeFile(config, 'timeouts:\n  ready: 90s\n');
  const args = ['--suite', suites, '--name', name, '--http-port', '18081', '--keep', '--report-dir', reportDir, '--config', config, ...extra];
  const result = await cli(args, 40 * 60_000);
  const report = JSON.parse(await readFile(join(reportDir, 'latest', 'report.json'), 'utf8')) as Report;
  return { code: result.code, output: `${result.stdout}\n${result.stderr}`, report };
}

/** The kept cluster keeps the last stack: remove its namespace so the next run deploys from scratch. */
async function freshNamespace(): Promise<void> {
  await runTool('kubectl', [...kubectl, 'delete', 'namespace', 'mip-verify-openms', '--ignore-not-found', '--wait=true', '--timeout=180s'], {
    env: { PATH: toolPath(process.env) },
    timeoutMs: 200_000,
  }).catch(() => undefined);
}

describe('OpenMS suites and their seeded faults', function () {
  this.timeout(45 * 60_000);

  after(async function () {
    this.timeout(5 * 60_000);
    await cli(['cluster', 'down', '--name', name], 4 * 60_000);
    expect(await leftovers(name)).to.deep.equal([]);
  });

  it(`passes ${SUITES.join(', ')} on the reference stack`, async () => {
    const started = Date.now();
    const { code, output, report } = await run(SUITES.join(','));
    expect(code, output).to.equal(0);
    expect(report.suites.map((s) => [s.name, s.status])).to.deep.equal(SUITES.map((s) => [s, 'passed']));
    for (const suite of report.suites) expect(suite.checks.length, `checks of ${suite.name}`).to.be.greaterThanOrEqual(3);
    process.stdout.write(`      (all five suites, deploy included: ${Math.round((Date.now() - started) / 1000)} s)\n`);
  });

  it('passes smoke and sessions on a stack written for another cluster, fitted and reached through its host-matching route', async () => {
    await freshNamespace();
    const { code, output, report } = await run('smoke,sessions', ['--stack-source', 'fixtures/stacks/openms-prod-layout']);
    expect(code, output).to.equal(0);
    expect(report.suites.map((s) => [s.name, s.status])).to.deep.equal([['smoke', 'passed'], ['sessions', 'passed']]);
    expect(output)
      .to.include('the stack\'s objects name namespace openms-prod: installing them into mip-verify-openms')
      .and.include('volume claim prod-app-workspaces-pvc asks for StorageClass cloud-block, which the cluster lacks: it gets mip-verify-shared')
      .and.include('labelled openms.example/memory-tier=low')
      .and.include('Ingress prod-app-streamlit is not served: its class nginx is not an IngressClass of the cluster')
      .and.include('checks reach the stack through IngressRoute prod-app-streamlit-traefik with Host openms.prod.example');
  });

  for (const { fault, suite, names } of FAULTS) {
    it(`fails ${suite} on fixtures/faults/${fault}, naming what broke`, async () => {
      await freshNamespace();
      const { code, output, report } = await run(suite, ['--stack-source', `fixtures/faults/${fault}`]);
      expect(code, output).to.equal(1);
      const failed = report.suites.find((s) => s.name === suite)?.checks.filter((c) => c.status === 'failed') ?? [];
      expect(failed, `failed checks of ${suite}`).to.not.be.empty;
      const messages = failed.map((c) => `${c.name}: ${c.error?.message ?? ''}`).join('\n');
      expect(messages).to.match(names);
    });
  }
});
