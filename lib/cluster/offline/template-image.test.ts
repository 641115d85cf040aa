import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Git } from '../../stack/source-identity.ts';
import { templateImageStep } from './template-image.ts';

const FILES: Record<string, string> = {
  Dockerfile: 'FROM ubuntu:22.04 AS setup-build-system\nFROM setup-build-system AS run-app\nCOPY . /app\n',
  'requirements.txt': 'streamlit==1.49.1\n',
  'app.py': 'print(1)\n',
  'settings.json': '{}\n',
  '.git/HEAD': 'ref: refs/heads/main\n',
};

/** git as it answers in a checkout of upstream at `revision` with local changes. */
const gitAt =
  (revision: string): Git =>
  (_dir, args) => {
    const answers: Record<string, string> = {
      'rev-parse --is-inside-work-tree': 'true',
      'rev-parse --verify HEAD': revision,
      'status --porcelain -- .': ' M app.py',
      remote: 'origin',
      'config --get remote.origin.url': 'https://github.com/OpenMS/streamlit-template.git',
      'remote get-url origin': 'https://github.com/OpenMS/streamlit-template.git',
    };
    return Promise.resolve(answers[args.join(' ')]);
  };

describe('cluster/offline/template-image', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mip-verify-template-'));
    for (const [path, text] of Object.entries(FILES)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), text);
    }
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("passes the checkout's identity to the build script as image labels", async () => {
    const revision = '3f1c0de8a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const { step, image, source } = await templateImageStep(dir, () => Promise.resolve(''), { git: gitAt(revision) });
    expect(source).to.include({ revision, dirty: true, url: 'https://github.com/OpenMS/streamlit-template.git' });
    expect(source.digest).to.match(/^sha256:[0-9a-f]{64}$/);
    const [script, checkout, ref, driver, ...labels] = step.command;
    expect(basename(script)).to.equal('openms-template.sh');
    expect([checkout, ref, basename(driver ?? '')]).to.deep.equal([dir, image, 'openms-driver.py']);
    expect(labels).to.deep.equal([
      `org.opencontainers.image.revision=${revision}`,
      'io.mip-verify.source-dirty=true',
      'org.opencontainers.image.source=https://github.com/OpenMS/streamlit-template.git',
      `io.mip-verify.source-digest=${source.digest}`,
    ]);
  });

  it('is done only when the image exists with labels naming this checkout as it is now', async () => {
    const labelled: Record<string, Record<string, string>> = {};
    const probes = { git: gitAt('a'.repeat(40)), labels: (ref: string) => Promise.resolve(labelled[ref]) };
    const { step, image } = await templateImageStep(dir, (ref) => Promise.resolve(labelled[ref] ? 'sha256:0123' : ''), probes);
    expect(await step.done(), 'no image').to.equal(false);
    labelled[image] = {};
    expect(await step.done(), 'an image built before the labels').to.equal(false);
    const [, , , , ...labels] = step.command;
    labelled[image] = Object.fromEntries(labels.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(await step.done(), 'built with these labels').to.equal(true);
    const later = await templateImageStep(dir, () => Promise.resolve('sha256:0123'), { ...probes, git: gitAt('b'.repeat(40)) });
    expect(later.image, 'the same files: the same tag').to.equal(image);
    expect(await later.step.done(), 'another commit: labelled again').to.equal(false);
  });

  it("names a checkout without git by the digest of the files the build sends (not .git's)", async () => {
    const plain: Git = () => Promise.resolve(undefined);
    const first = await templateImageStep(dir, () => Promise.resolve(''), { git: plain });
    expect(first.source).to.have.keys('digest');
    expect(first.step.command.slice(4)).to.deep.equal([`io.mip-verify.source-digest=${first.source.digest}`]);
    await writeFile(join(dir, '.git/HEAD'), 'ref: refs/heads/other\n');
    expect((await templateImageStep(dir, () => Promise.resolve(''), { git: plain })).source).to.deep.equal(first.source);
  });
});
