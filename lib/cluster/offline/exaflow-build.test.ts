import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentDigest } from '../../stack/source-identity.ts';
import { kitDir } from './kit.ts';
import { planExaflowBuild } from './exaflow-build.ts';
import { exaflowContextFiles } from './exaflow-source.ts';

const DOCKERFILE = [
  'FROM python:3.10.18-slim-bullseye AS builder',
  'RUN python -m poetry install --only main --only worker --no-root',
  'FROM python:3.10.18-slim-bullseye',
  'COPY exaflow/ ./exaflow/',
].join('\n');

const FILES: Record<string, string> = {
  'pyproject.toml': '[tool.poetry]\nname = "exaflow"\nversion = "1.0.0"\n',
  'poetry.lock': '# lock\n',
  'exaflow/__init__.py': '',
  'exaflow/__pycache__/__init__.cpython-310.pyc': 'bytecode',
  'exaflow/controller/Dockerfile': DOCKERFILE,
  'exaflow/worker/Dockerfile': DOCKERFILE,
  'exaflow/aggregation_server/Dockerfile': DOCKERFILE,
  'kubernetes/Chart.yaml': 'name: exaflow\n',
  'pyenv/versions/3.10.13/bin/python3.10': '',
  'pyenv/versions/3.10.13/lib/python3.10/os.py': '',
};

describe('cluster/offline/exaflow-build', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mip-verify-exaflow-build-'));
    for (const [path, text] of Object.entries(FILES)) {
      await mkdir(join(dir, 'checkout', path, '..'), { recursive: true });
      await writeFile(join(dir, 'checkout', path), text);
    }
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("labels each image with the digest of the checkout's files the build sends", async () => {
    const checkout = join(dir, 'checkout');
    const plan = await planExaflowBuild(checkout, join(dir, 'cache'), kitDir, () => Promise.resolve(join(checkout, 'pyenv')));
    const files = await exaflowContextFiles(checkout);
    expect(files).to.deep.equal([
      'exaflow/__init__.py',
      'exaflow/aggregation_server/Dockerfile',
      'exaflow/controller/Dockerfile',
      'exaflow/worker/Dockerfile',
      'poetry.lock',
      'pyproject.toml',
    ]);
    const digest = await contentDigest(checkout, files);
    expect(plan.steps).to.have.length(3);
    for (const [index, step] of plan.steps.entries()) {
      const ref = Object.values(plan.images)[index];
      expect(step.command.slice(6), String(ref)).to.deep.equal([`io.mip-verify.source-digest=${digest}`]);
      expect(step.command[5]).to.equal(ref);
    }
  });
});
