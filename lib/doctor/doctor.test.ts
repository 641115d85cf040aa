import { expect } from 'chai';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../paths.ts';
import { runDoctor } from './doctor.ts';
import { extractVersion } from './probes.ts';

const fakeBin = join(projectRoot, 'fixtures', 'bin', 'doctor');

describe('doctor', function () {
  this.timeout(30_000);
  let scratch: string;
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'mv-doctor-'));
  });
  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  /** Copies the fake tools except `skip` into `dir`. */
  async function copyTools(dir: string, skip: string[] = []): Promise<void> {
    await mkdir(dir, { recursive: true });
    for (const name of await readdir(fakeBin)) if (!skip.includes(name)) await copyFile(join(fakeBin, name), join(dir, name));
  }

  /** Only the fake tools on PATH; an empty cache so no built tools are found. */
  const envWith = (path: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    PATH: path,
    MIP_VERIFY_CACHE: join(scratch, 'cache'),
    ...extra,
  });

  it('reports every tool with its version and exits 0 when all are found', async () => {
    const report = await runDoctor({ env: envWith(fakeBin), nodeVersion: 'v20.20.2', chromiumPaths: [] });
    expect(report.exitCode).to.equal(0);
    const versions = Object.fromEntries(report.results.map((result) => [result.name, result.version]));
    expect(versions).to.deep.equal({
      docker: '27.5.1 (daemon 27.5.1)',
      kind: 'v0.27.0',
      kubectl: 'v1.33.1',
      helm: 'v3.17.3+ge4da497',
      k6: 'v0.57.0',
      chromium: '135.0.7049.95',
      node: 'v20.20.2',
    });
    expect(report.lines.at(-1)).to.equal('Everything mip-verify needs is here.');
  });

  it('exits 3 and says who needs a missing tool and how to get it', async () => {
    const partial = join(scratch, 'bin');
    await copyTools(partial, ['k6']);
    const report = await runDoctor({ env: envWith(partial), nodeVersion: 'v20.20.2', chromiumPaths: [] });
    expect(report.exitCode).to.equal(3);
    const k6Line = report.lines.find((line) => line.includes(' k6 '));
    expect(k6Line).to.match(
      /^MISSING\s+k6\s+needed by: scaling; not found: run 'npx mip-verify image build' to build kind, helm, k6 and kubectl offline$/,
    );
    expect(report.lines.at(-1)).to.equal('Missing or not working: k6. Fix these before a run.');
  });

  it('finds tools in the cache before PATH, and reports a docker daemon that does not answer', async () => {
    await copyTools(join(scratch, 'cache', 'bin'), ['chromium']);
    const report = await runDoctor({
      env: envWith('', { FAKE_DOCKER_DAEMON: 'down' }),
      nodeVersion: 'v18.19.0',
      chromiumPaths: [join(fakeBin, 'chromium')],
    });
    expect(report.exitCode).to.equal(3);
    const byName = new Map(report.results.map((result) => [result.name, result]));
    expect(byName.get('kind')?.path).to.equal(join(scratch, 'cache', 'bin', 'kind'));
    expect(byName.get('chromium')?.ok).to.equal(true);
    expect(byName.get('docker')?.problem).to.match(/^the docker daemon does not answer: start it/);
    expect(byName.get('node')?.problem).to.match(/too old: install Node.js 20.19 or newer/);
  });

  it('extracts version numbers from tool output', () => {
    expect(extractVersion('kind v0.27.0 go1.24.1 linux/amd64')).to.equal('v0.27.0');
    expect(extractVersion('Client Version: v1.33.1\nKustomize Version: v5.6.0')).to.equal('v1.33.1');
    expect(extractVersion('no digits')).to.equal('no digits');
  });
});
