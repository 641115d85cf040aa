// The OpenMS suites as a user runs them, on one kept kind cluster: the reference image holds nothing of
// mip-verify; the five suites pass on the reference stack; each seeded fault of
// fixtures/faults/ fails its own suite with a message naming what broke; and the OpenMS template's own
// image, built from the checkout MIP_VERIFY_OPENMS_SOURCE names, runs its own production overlay (with
// the worker flags that meet the chaos objective) through the same suites. The cluster is removed at the end.
import { expect } from 'chai';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { runTool } from '../lib/exec.ts';
import { cacheDir, projectRoot, toolPath } from '../lib/paths.ts';
import { checkoutImage, missingScripts } from '../lib/stack/openms-checkout.ts';
import { cli, leftovers } from './support.ts';

const name = 'mip-verify-suites';
const kubectl = ['--kubeconfig', join(cacheDir(process.env), `kubeconfig-${name}`), '--context', `kind-${name}`];
const SUITES = ['smoke', 'sessions', 'scaling', 'chaos', 'cleanup'];
/** A streamlit-template checkout to build and deploy; its tests are skipped, saying so, without one. */
const TEMPLATE = process.env.MIP_VERIFY_OPENMS_SOURCE ? resolve(process.env.MIP_VERIFY_OPENMS_SOURCE) : undefined;

/** Each seeded fault, the suite it must fail and what the failure message must name. */
/** Seeded faults; those marked nightly run in `npm run test:e2e:nightly` only (their tests are tagged @nightly). */
const FAULTS: readonly { fault: string; suite: string; names: RegExp; nightly?: true }[] = [
  { fault: 'smoke-worker-own-volume', suite: 'smoke', names: /result files missing/ },
  { fault: 'sessions-no-affinity', suite: 'sessions', names: /stroute/ },
  { fault: 'scaling-wrong-queue', suite: 'scaling', names: /openms-workflows/, nightly: true },
  { fault: 'chaos-web-emptydir', suite: 'chaos', names: /params\.json/ },
  {
    fault: 'cleanup-deletes-fresh',
    suite: 'cleanup',
    names: /fresh workspace \S+ \(age [^)]+\) was deleted[\s\S]*MAX_AGE_SECONDS=0|MAX_AGE_SECONDS=0[\s\S]*fresh workspace/,
  },
];

interface Report {
  status: string;
  durationMs?: number;
  suites: { name: string; status: string; checks: { name: string; status: string; error?: { message: string } }[] }[];
}

async function run(
  suites: string,
  extra: readonly string[] = [],
  deploy = '5m',
): Promise<{ code: number; output: string; report: Report }> {
  const { code, output, reportDir } = await runIn(suites, extra, deploy);
  const report = JSON.parse(await readFile(join(reportDir, 'latest', 'report.json'), 'utf8')) as Report;
  return { code, output, report };
}

async function runIn(
  suites: string,
  extra: readonly string[] = [],
  deploy = '5m',
): Promise<{ code: number; output: string; reportDir: string }> {
  const reportDir = await mkdtemp(join(tmpdir(), 'mip-verify-e2e-'));
  const config = join(reportDir, 'mip-verify.config.yaml');
  // A fault that keeps pods from being Ready would otherwise wait the whole default budget (5m).
  await writeFile(config, `timeouts:\n  ready: 90s\n  deploy: ${deploy}\n`);
  const args = [
    '--suite',
    suites,
    '--name',
    name,
    '--http-port',
    '18081',
    '--keep',
    '--report-dir',
    reportDir,
    '--config',
    config,
    ...extra,
  ];
  const result = await cli(args, 40 * 60_000);
  return { code: result.code, output: `${result.stdout}\n${result.stderr}`, reportDir };
}

/** `file: value` for every seeded value found in a file under `dir` (binary files included). */
async function occurrences(dir: string, values: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const text = await readFile(join(entry.parentPath, entry.name), 'latin1');
    for (const value of values)
      if (text.includes(value)) found.push(`${relative(dir, join(entry.parentPath, entry.name))}: ${value.slice(0, 12)}…`);
  }
  return found;
}

/** The kept cluster keeps the last stack: remove its namespace so the next run deploys from scratch. */
async function freshNamespace(): Promise<void> {
  await runTool(
    'kubectl',
    [...kubectl, 'delete', 'namespace', 'mip-verify-openms', '--ignore-not-found', '--wait=true', '--timeout=180s'],
    {
      env: { PATH: toolPath(process.env) },
      timeoutMs: 200_000,
    },
  ).catch(() => undefined);
}

/** Every file path in an image, and the text of its /app files that could name a test hook. */
async function imageFiles(image: string): Promise<{ paths: string[]; appText: string }> {
  const created = await runTool('docker', ['create', image, 'true']);
  const id = created.stdout.trim();
  try {
    const listed = await runTool('sh', ['-c', `docker export "$1" | tar -t`, 'export', id], { timeoutMs: 120_000 });
    const app = await runTool(
      'sh',
      ['-c', `docker export "$1" | tar -xO --wildcards 'app/*.py' 'app/src/*' 2>/dev/null || true`, 'export', id],
      { timeoutMs: 120_000 },
    );
    return { paths: listed.stdout.split('\n').filter(Boolean), appText: app.stdout };
  } finally {
    await runTool('docker', ['rm', id]).catch(() => undefined);
  }
}

/** Checks that failed in a report, with their messages. */
function failures(report: Report): { suite: string; check: string; message: string }[] {
  return report.suites.flatMap((s) =>
    s.checks.filter((c) => c.status === 'failed').map((c) => ({ suite: s.name, check: c.name, message: c.error?.message ?? '' })),
  );
}

describe('OpenMS suites and their seeded faults', function () {
  this.timeout(45 * 60_000);

  after(async function () {
    this.timeout(5 * 60_000);
    await cli(['cluster', 'down', '--name', name], 4 * 60_000);
    expect(await leftovers(name)).to.deep.equal([]);
  });

  it('the reference image holds no file of mip-verify and no page element added for tests', async () => {
    const { paths, appText } = await imageFiles('mip-verify.local/openms-app:latest');
    expect(
      paths.filter((path) => /mip[-_]verify|openms-driver/i.test(path)),
      'files of the harness in the image',
    ).to.deep.equal([]);
    expect(appText, 'the app source in /app').to.not.match(/mip[-_]verify|data-testid/);
    expect(paths).to.include.members(['app/src/workflow/tasks.py', 'app/src/workflow/QueueManager.py', 'app/src/Workflow.py']);
  });

  // The template's own production overlay below proves the five suites per change; this one is nightly.
  it(`passes ${SUITES.join(', ')} on the reference stack @nightly`, async () => {
    const started = Date.now();
    const { code, output, report } = await run(SUITES.join(','));
    expect(code, output).to.equal(0);
    expect(report.suites.map((s) => [s.name, s.status])).to.deep.equal(SUITES.map((s) => [s, 'passed']));
    for (const suite of report.suites) expect(suite.checks.length, `checks of ${suite.name}`).to.be.greaterThanOrEqual(3);
    process.stdout.write(`      (all five suites, deploy included: ${Math.round((Date.now() - started) / 1000)} s)\n`);
  });

  for (const { fault, suite, names, nightly } of FAULTS) {
    it(`fails ${suite} on fixtures/faults/${fault}, naming what broke${nightly ? ' @nightly' : ''}`, async () => {
      await freshNamespace();
      const { code, output, report } = await run(suite, ['--stack-source', `fixtures/faults/${fault}`]);
      expect(code, output).to.equal(1);
      const failed = report.suites.find((s) => s.name === suite)?.checks.filter((c) => c.status === 'failed') ?? [];
      expect(failed, `failed checks of ${suite}`).to.not.be.empty;
      const messages = failed.map((c) => `${c.name}: ${c.error?.message ?? ''}`).join('\n');
      expect(messages).to.match(names);
    });
  }

  it('masks a Secret of the stack and the kubeconfig credentials in every file of the run folder and on the terminal', async () => {
    await freshNamespace();
    const canary = 'canary-5e1f0c27d9a04b6b';
    const { code, output, reportDir } = await runIn('smoke', ['--stack-source', 'e2e/fixtures/secret-stack']);
    expect(code, output).to.equal(1);
    // The cluster is kept: its kubeconfig (written by the run) holds the key the run connected with.
    const kubeconfigText = await readFile(join(cacheDir(process.env), `kubeconfig-${name}`), 'utf8');
    const key = /client-key-data: (\S+)/.exec(kubeconfigText)?.[1] ?? '';
    expect(key, 'the kind kubeconfig holds a client key').to.not.equal('');
    const seeded = [canary, Buffer.from(canary).toString('base64'), key];
    const found = await occurrences(reportDir, seeded);
    const onTerminal = seeded.filter((value) => output.includes(value));
    expect({ files: found, terminal: onTerminal }).to.deep.equal({ files: [], terminal: [] });
    // The value was there to leak: the echo pod's log, collected as evidence, shows it masked.
    const logs = await runTool('grep', ['-rl', 'the canary value is \\*\\*\\*', reportDir]).then(
      (r) => r.stdout.trim(),
      () => '',
    );
    expect(logs, "the echo pod's log in the evidence, masked").to.match(/canary-echo/);
  });

  describe("the OpenMS template's own image and production overlay", function () {
    before(function () {
      if (!TEMPLATE) this.skip();
    });

    it('image build --openms-source builds the template image from the checkout, and refuses a directory that is not one', async () => {
      const source = TEMPLATE ?? '';
      const refused = await cli(['image', 'build', '--openms-source', join(projectRoot, 'fixtures')], 60_000);
      expect(refused.code).to.equal(2);
      expect(`${refused.stdout}${refused.stderr}`).to.match(
        /--openms-source '.*fixtures' is not an OpenMS streamlit-template checkout: it lacks Dockerfile/,
      );
      const started = Date.now();
      const built = await cli(['image', 'build', '--openms-source', source], 40 * 60_000);
      expect(built.code, built.stderr).to.equal(0);
      expect(built.stdout).to.include(await checkoutImage(source));
      process.stdout.write(`      (image build with the template image: ${Math.round((Date.now() - started) / 1000)} s)\n`);
    });

    it('runs the five suites on its production overlay, with the worker flags of fixtures/components/rq-worker-timings', async () => {
      const source = TEMPLATE ?? '';
      const overlay = await mkdtemp(join(tmpdir(), 'mip-verify-overlay-'));
      // kustomize takes relative paths only.
      const kustomization = [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        `resources: [${relative(overlay, join(source, 'k8s/overlays/prod'))}]`,
        `components: [${relative(overlay, join(projectRoot, 'fixtures/components/rq-worker-timings'))}]`,
      ].join('\n');
      await writeFile(join(overlay, 'kustomization.yaml'), `${kustomization}\n`);
      await freshNamespace();
      const started = Date.now();
      // The template image (1.5 GB) is loaded into three nodes the first time: allow for a slow disk.
      const { code, output, report } = await run(SUITES.join(','), ['--stack-source', overlay], '15m');
      process.stdout.write(`      (five suites on the template, deploy included: ${Math.round((Date.now() - started) / 1000)} s)\n`);
      expect(output).to.include(`ghcr.io/openms/streamlit-template → ${await checkoutImage(source)}`);
      const missing = await missingScripts(source);
      if (missing.length === 0) {
        expect(code, output).to.equal(0);
        expect(report.suites.map((s) => [s.name, s.status])).to.deep.equal(SUITES.map((s) => [s, 'passed']));
        return;
      }
      // A checkout without the scripts its workflow runs: every workflow fails at that step, and the
      // suites that run workflows say so, quoting the app's own ERROR line; the others pass.
      expect(code, output).to.equal(1);
      expect(report.suites.filter((s) => ['sessions', 'cleanup'].includes(s.name)).map((s) => [s.name, s.status])).to.deep.equal([
        ['sessions', 'passed'],
        ['cleanup', 'passed'],
      ]);
      const smoke = failures(report).filter((f) => f.suite === 'smoke');
      expect(smoke.map((f) => f.check)).to.deep.equal([
        'a TOPP workflow on generated mzML finishes on a worker with its result files and log markers',
      ]);
      const named = missing.map((m) => m.script.split('/').pop() ?? m.script).filter((file) => smoke[0]?.message.includes(file));
      expect(named, `missing scripts named by the smoke failure: ${smoke[0]?.message ?? 'none'}`).to.not.be.empty;
      expect(output).to.include(`lacks ${missing.map((m) => `${m.script} (run by ${m.caller})`).join(', ')}`);
    });
  });
});
