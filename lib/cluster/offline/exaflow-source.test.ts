import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, HarnessError } from '../../errors.ts';
import { buildForChart, exaflowLines, readBuilds, recordBuild, type ExaflowBuild } from './exaflow-record.ts';
import { checkoutKey, findPython, parseDockerfile, readExaflowCheckout } from './exaflow-source.ts';

/** A Dockerfile shaped like upstream's: a builder stage installing poetry groups, then the final stage. */
const DOCKERFILE = [
  'FROM python:3.10.18-slim-bullseye AS builder',
  'ENV POETRY_VERSION=1.8.2',
  'RUN pip install poetry==$POETRY_VERSION \\',
  '    && python -m poetry install --only main --only worker --no-root',
  '',
  'FROM python:3.10.18-slim-bullseye',
  'ENV TZ=Etc/GMT',
  'COPY --from=builder /usr/local/lib/python3.10/site-packages /usr/local/lib/python3.10/site-packages',
  'COPY exaflow/ ./exaflow/',
  'USER appuser',
  'CMD ["sh", "-c", "/home/bootstrap.sh"]',
].join('\n');

async function checkout(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mip-verify-exaflow-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const COMPLETE = {
  'pyproject.toml': '[tool.poetry]\nname = "exaflow"\nversion = "1.0.0"\n',
  'poetry.lock': '# lock\n',
  'exaflow/__init__.py': '',
  'exaflow/controller/Dockerfile': DOCKERFILE.replace('--only worker', '--only controller'),
  'exaflow/worker/Dockerfile': DOCKERFILE,
  'exaflow/aggregation_server/Dockerfile': DOCKERFILE.replace('--only main --only worker', '--only aggregation-server'),
  'kubernetes/Chart.yaml': 'name: exaflow\n',
};

describe('cluster/offline/exaflow-source', () => {
  const made: string[] = [];
  after(async () => {
    for (const dir of made) await rm(dir, { recursive: true, force: true });
  });
  const make = async (files: Record<string, string>): Promise<string> => {
    const dir = await checkout(files);
    made.push(dir);
    return dir;
  };

  it('reads the CPython version, the poetry groups and the final stage of an upstream Dockerfile', () => {
    const parsed = parseDockerfile(DOCKERFILE, 'exaflow/worker/Dockerfile');
    expect(parsed.python).to.equal('3.10');
    expect(parsed.groups).to.deep.equal(['main', 'worker']);
    expect(parsed.finalStage.split('\n')).to.deep.equal([
      'ARG EXAFLOW_BASE',
      'FROM ${EXAFLOW_BASE}',
      'ENV TZ=Etc/GMT',
      'COPY exaflow/ ./exaflow/',
      'USER appuser',
      'CMD ["sh", "-c", "/home/bootstrap.sh"]',
    ]);
  });

  it('refuses a Dockerfile without a builder stage, naming it', () => {
    expect(() => parseDockerfile('FROM debian\nCMD true\n', 'x/Dockerfile')).to.throw(
      ConfigError,
      /^x\/Dockerfile is not the multi-stage Dockerfile expected/,
    );
  });

  it('reads a checkout: three recipes, each with its own poetry groups, and a key of its contents', async () => {
    const dir = await make(COMPLETE);
    const found = await readExaflowCheckout(dir);
    expect(found.roles.map((r) => [r.role, r.image, r.groups.join('+')])).to.deep.equal([
      ['controller', 'exaflow_controller', 'main+controller'],
      ['worker', 'exaflow_worker', 'main+worker'],
      ['aggregation_server', 'exaflow_aggregation_server', 'aggregation-server'],
    ]);
    expect(found.key).to.match(/^[0-9a-f]{12}$/);
  });

  it('keys a checkout by its sources, not by its bytecode caches or other folders', async () => {
    const dir = await make(COMPLETE);
    const before = await checkoutKey(dir);
    await mkdir(join(dir, 'exaflow', '__pycache__'));
    await writeFile(join(dir, 'exaflow', '__pycache__', 'x.pyc'), 'cache');
    await writeFile(join(dir, 'kubernetes', 'values.yaml'), 'namespace: default\n');
    expect(await checkoutKey(dir)).to.equal(before);
    await writeFile(join(dir, 'exaflow', '__init__.py'), '# changed\n');
    expect(await checkoutKey(dir)).to.not.equal(before);
  });

  it('refuses a directory that is not an Exaflow checkout, naming it and what it lacks', async () => {
    const dir = await make({ 'pyproject.toml': '[tool.poetry]\nname = "exaflow"\n' });
    const error = await readExaflowCheckout(dir).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).message).to.equal(
      `'${dir}' is not an Exaflow checkout: it has no poetry.lock, exaflow/controller/Dockerfile, exaflow/worker/Dockerfile, exaflow/aggregation_server/Dockerfile.`,
    );
    expect((error as ConfigError).hint).to.include('github.com/madgik/exaflow');
    const other = await make({ ...COMPLETE, 'pyproject.toml': '[tool.poetry]\nname = "other"\n' });
    await readExaflowCheckout(other).then(
      () => expect.fail('should refuse'),
      (e: unknown) => expect(String(e)).to.include('does not name the project "exaflow"'),
    );
    await readExaflowCheckout(join(dir, 'nope')).then(
      () => expect.fail('should refuse'),
      (e: unknown) => expect(String(e)).to.include(`--exaflow-source '${join(dir, 'nope')}' is not a directory`),
    );
  });

  it("finds pyenv's newest CPython of the minor version, and says how to get one when there is none", async () => {
    const root = await make({
      'versions/3.10.9/bin/python3.10': '',
      'versions/3.10.9/lib/python3.10/os.py': '',
      'versions/3.10.13/bin/python3.10': '',
      'versions/3.10.13/lib/python3.10/os.py': '',
      'versions/3.11.7/bin/python3.11': '',
    });
    expect(await findPython('3.10', () => Promise.resolve(root))).to.equal(join(root, 'versions', '3.10.13'));
    const missing = await findPython('3.9', () => Promise.resolve(root)).catch((e: unknown) => e);
    expect(missing).to.be.instanceOf(HarnessError);
    expect((missing as HarnessError).kind).to.equal('prerequisite');
    expect((missing as HarnessError).message).to.include('need CPython 3.9');
    expect((missing as HarnessError).hint).to.equal(
      'Install it with pyenv (https://github.com/pyenv/pyenv): pyenv install 3.9, then run the build again.',
    );
    const none = await findPython('3.10', () => Promise.resolve(undefined)).catch((e: unknown) => e);
    expect((none as HarnessError).message).to.include('pyenv is not installed');
  });

  it('records builds per checkout and finds the one a chart directory belongs to', async () => {
    const cache = await make({});
    const build = (source: string, key: string): ExaflowBuild => ({
      source,
      contents: key,
      key,
      images: {
        controller: `r/exaflow_controller:${key}`,
        worker: `r/exaflow_worker:${key}`,
        aggregation_server: `r/exaflow_aggregation_server:${key}`,
      },
      sizes: { worker: 812_000_000 },
      builtAt: '2026-12-06T23:00:00.000Z',
    });
    expect(await readBuilds(cache)).to.deep.equal([]);
    await recordBuild(cache, build('/opt/exaflow', 'a'));
    await recordBuild(cache, build('/opt/exaflow-2', 'b'));
    await recordBuild(cache, build('/opt/exaflow', 'c'));
    const builds = await readBuilds(cache);
    expect(builds.map((b) => b.key)).to.deep.equal(['b', 'c']);
    expect(buildForChart(builds, '/opt/exaflow/kubernetes')?.key).to.equal('c');
    expect(buildForChart(builds, '/opt/exaflow-2/kubernetes')?.key).to.equal('b');
    expect(buildForChart(builds, '/opt/other/kubernetes')).to.equal(undefined);
    expect(exaflowLines(build('/opt/exaflow', 'c'))[1]).to.equal('Exaflow worker: r/exaflow_worker:c (812 MB), from /opt/exaflow');
  });
});
