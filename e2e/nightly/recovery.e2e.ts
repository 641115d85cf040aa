// The recovery suite on a kind cluster of its own: Ctrl-C while a node is stopped brings the node back and
// exits 130; then one trial of every scenario runs as a user starts it, and report.json and index.html
// carry the trials, their phases and the percentiles. The cluster is removed at the end.
import { expect } from 'chai';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../../lib/exec.ts';
import { cacheDir, toolPath } from '../../lib/paths.ts';
import { delay } from '../../lib/wait.ts';
import { cli, leftovers, startCli } from '../support.ts';

const name = 'mip-verify-recovery';
// kind also binds the next port (HTTPS): 18084 and 18085 stay clear of the other clusters' pairs.
const port = '18084';
const kubectl = ['--kubeconfig', join(cacheDir(process.env), `kubeconfig-${name}`), '--context', `kind-${name}`];
const SCENARIOS = ['worker-down', 'worker-down-tolerations-30s', 'worker-reboot', 'control-plane-down'];

interface Report {
  status: string;
  suites: { name: string; checks: { name: string; status: string; error?: { message: string } }[] }[];
  recovery?: {
    sloMs: number;
    trials: { scenario: string; trial: number; target: string; phases: Record<string, number>; totalMs: number; passed: boolean }[];
    percentiles: Record<string, { p50Ms: number; p95Ms: number; maxMs: number }>;
  };
}

/** Node containers of the cluster and the state of each (`created`, `running`, `exited`, ...). */
async function nodeContainers(): Promise<Map<string, string>> {
  const ps = await runTool('docker', ['ps', '-a', '--filter', `label=io.x-k8s.kind.cluster=${name}`, '--format', '{{.Names}} {{.State}}']);
  return new Map(
    ps.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [container = '', state = ''] = line.trim().split(' ');
        return [container, state];
      }),
  );
}

/** Polls until a node container of the running cluster is stopped (not one still being created); returns its name. */
async function firstStopped(child: { exitCode: number | null }, withinMs: number): Promise<string | undefined> {
  let allRan = false;
  for (const end = Date.now() + withinMs; Date.now() < end && child.exitCode === null; await delay(1000)) {
    const states = [...(await nodeContainers()).values()];
    allRan ||= states.length === 3 && states.every((state) => state === 'running');
    const stopped = [...(await nodeContainers())].find(([, state]) => state === 'exited')?.[0];
    if (allRan && stopped) return stopped;
  }
  return undefined;
}

/** Waits until every node of the cluster is Ready (kubectl wait), within `seconds`. */
async function nodesReady(seconds: number): Promise<string> {
  const env = { PATH: toolPath(process.env) };
  await runTool('kubectl', [...kubectl, 'wait', '--for=condition=Ready', 'nodes', '--all', `--timeout=${seconds}s`], {
    env,
    timeoutMs: (seconds + 30) * 1000,
  });
  return (await runTool('kubectl', [...kubectl, 'get', 'nodes', '--no-headers'], { env, timeoutMs: 30_000 })).stdout;
}

function runArgs(reportDir: string): string[] {
  return [
    '--suite',
    'recovery',
    '--stack',
    'openms',
    '--trials',
    '1',
    '--name',
    name,
    '--http-port',
    port,
    '--keep',
    '--report-dir',
    reportDir,
  ];
}

/** Every scenario's trial with its phases and total, percentiles per scenario; short tolerations within the SLO. */
function expectTrials(report: Report): void {
  const trials = report.recovery?.trials ?? [];
  expect(trials.map((t) => t.scenario)).to.deep.equal(SCENARIOS);
  for (const t of trials) {
    expect(t.totalMs, t.scenario).to.be.greaterThan(0);
    expect(Object.keys(t.phases), t.scenario).to.include('serviceAnswering');
  }
  expect(Object.keys(report.recovery?.percentiles ?? {})).to.deep.equal(SCENARIOS);
  expect(trials.find((t) => t.scenario === 'worker-down-tolerations-30s')?.passed, 'short tolerations meet the SLO').to.equal(true);
}

/** The health and API-precision checks passed; a failed worker-down names the tolerations that explain it. */
function expectChecks(report: Report, output: string): void {
  const checks = report.suites.find((s) => s.name === 'recovery')?.checks ?? [];
  const status = (pattern: RegExp): string | undefined => checks.find((c) => pattern.test(c.name))?.status;
  expect(status(/^after the faults/), output).to.equal('passed');
  expect(status(/within 1 s of the API/), output).to.equal('passed');
  const workerDown = checks.find((c) => c.name.startsWith('worker-down:'));
  if (workerDown?.status === 'failed') expect(workerDown.error?.message).to.match(/tolerationSeconds \(\d+ s\)/);
}

describe('recovery suite on a kind cluster of its own @nightly', function () {
  this.timeout(40 * 60_000);

  after(async function () {
    this.timeout(5 * 60_000);
    await cli(['cluster', 'down', '--name', name], 4 * 60_000);
    // The kind network and dangling volumes may belong to other kind clusters on the machine: only containers are this cluster's.
    expect((await leftovers(name)).filter((l) => l.startsWith('container '))).to.deep.equal([]);
  });

  it('Ctrl-C while the target node is stopped: exit 130, every node container running and every node Ready', async () => {
    const reportDir = await mkdtemp(join(tmpdir(), 'mip-verify-e2e-'));
    const { child, output: printed, exited } = startCli(runArgs(reportDir));
    // Cluster, deploy and the first checks come first; the worker-down trial stops the node for minutes.
    const node = await firstStopped(child, 15 * 60_000);
    expect(node, `a node container stopped before the run ended:\n${printed()}`).to.be.a('string');
    child.kill('SIGINT');
    const code = await exited;
    expect(code, printed()).to.equal(130);
    const containers = await nodeContainers();
    expect(
      [...containers].filter(([, state]) => state !== 'running').map(([c]) => c),
      'node containers not running',
    ).to.deep.equal([]);
    expect(containers.size).to.equal(3);
    expect(await nodesReady(300)).to.not.match(/NotReady/);
  });

  it('one trial per scenario: report.json has the trials with phases and totals, percentiles per scenario, and index.html charts them', async () => {
    const reportDir = await mkdtemp(join(tmpdir(), 'mip-verify-e2e-'));
    const run = await cli(runArgs(reportDir), 35 * 60_000);
    const output = `${run.stdout}\n${run.stderr}`;
    // Default tolerations (300 s) cannot meet a 5-minute SLO for a dead node: that check fails, truthfully.
    expect(run.code, output).to.be.oneOf([0, 1]);
    const report = JSON.parse(await readFile(join(reportDir, 'latest', 'report.json'), 'utf8')) as Report;
    expectTrials(report);
    expectChecks(report, output);
    const html = await readFile(join(reportDir, 'latest', 'index.html'), 'utf8');
    expect(html).to.include('id="recovery"');
    for (const scenario of SCENARIOS) expect(html).to.include(scenario);
    expect(await nodesReady(60)).to.not.match(/NotReady/);
  });
});
