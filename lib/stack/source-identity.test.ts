import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  checkoutIdentity,
  contentDigest,
  contextFiles,
  dockerIgnore,
  labelsName,
  sourceFromLabels,
  sourceLabels,
  withoutCredentials,
} from './source-identity.ts';

const exec = promisify(execFile);
/** git with an author of its own, whatever the machine's configuration. */
const git = (dir: string, ...args: string[]): Promise<unknown> =>
  exec('git', ['-C', dir, '-c', 'user.name=Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', ...args]);

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mip-verify-source-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const FILES = { 'app.py': 'print(1)\n', 'src/tasks.py': 'def run(): pass\n', 'requirements.txt': 'streamlit\n' };

describe('stack/source-identity', () => {
  const made: string[] = [];
  const make = async (files: Record<string, string> = FILES): Promise<string> => {
    const dir = await folder(files);
    made.push(dir);
    return dir;
  };
  after(async () => {
    for (const dir of made) await rm(dir, { recursive: true, force: true });
  });

  it('names a plain folder by the digest of its files alone', async () => {
    const dir = await make();
    const files = await contextFiles(dir);
    expect(files).to.deep.equal(['app.py', 'requirements.txt', 'src/tasks.py']);
    const identity = await checkoutIdentity(dir, files);
    expect(identity).to.have.keys('digest');
    expect(identity.digest).to.match(/^sha256:[0-9a-f]{64}$/);
    // The same files elsewhere give the same digest; a changed byte or a renamed file another.
    expect(await contentDigest(await make(), files)).to.equal(identity.digest);
    expect(await contentDigest(await make({ ...FILES, 'app.py': 'print(2)\n' }), files)).not.to.equal(identity.digest);
    const renamed = await make({ 'app.py': FILES['app.py'], 'src/task.py': FILES['src/tasks.py'], 'requirements.txt': 'streamlit\n' });
    expect(await contentDigest(renamed, await contextFiles(renamed))).not.to.equal(identity.digest);
  });

  it('names a clean git checkout by its commit and remote, and a changed one as dirty', async () => {
    const dir = await make();
    await git(dir, 'init', '-q');
    await git(dir, 'add', '.');
    await git(dir, 'commit', '-q', '-m', 'first');
    await git(dir, 'remote', 'add', 'origin', 'https://user:secret-token@github.com/OpenMS/streamlit-template.git');
    const { stdout } = await exec('git', ['-C', dir, 'rev-parse', 'HEAD']);
    const files = await contextFiles(dir, (name) => name === '.git');
    expect(files).to.deep.equal(['app.py', 'requirements.txt', 'src/tasks.py']);
    const clean = await checkoutIdentity(dir, files);
    expect(clean).to.deep.equal({
      digest: await contentDigest(dir, files),
      revision: stdout.trim(),
      dirty: false,
      url: 'https://github.com/OpenMS/streamlit-template.git',
    });

    await writeFile(join(dir, 'app.py'), 'print(3)\n');
    const edited = await checkoutIdentity(dir, files);
    expect(edited).to.include({ revision: clean.revision, dirty: true });
    expect(edited.digest).not.to.equal(clean.digest);

    await git(dir, 'checkout', '-q', '--', 'app.py');
    await writeFile(join(dir, 'notes.txt'), 'untracked\n');
    expect(await checkoutIdentity(dir, files), 'an untracked file counts as a change').to.include({ dirty: true });
  });

  it('leaves out what .dockerignore excludes, and what a skipped name holds', async () => {
    const dir = await make({
      ...FILES,
      '.dockerignore': '# build output\n/build\n*.log\n**/__pycache__\ndocs\n!docs/keep.md\n',
      'build/out.bin': 'x',
      'debug.log': 'x',
      'src/__pycache__/tasks.cpython-311.pyc': 'x',
      'docs/guide.md': 'x',
      'docs/keep.md': 'x',
      'src/debug.log': 'kept: *.log matches the top folder only',
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
    await symlink('app.py', join(dir, 'main.py'));
    expect(await contextFiles(dir, (name) => name === '.git')).to.deep.equal([
      '.dockerignore',
      'app.py',
      'docs/keep.md',
      'main.py',
      'requirements.txt',
      'src/debug.log',
      'src/tasks.py',
    ]);
  });

  it('reads .dockerignore patterns as Docker does', () => {
    const ignored = dockerIgnore('# comment\na/**/z\n[bc]?.txt\n!c1.txt\n/build\n*.pyc\n');
    expect(['a/z', 'a/b/c/z', 'b1.txt', 'build/x/y', 'm.pyc'].filter(ignored)).to.have.length(5);
    expect(['a/zz', 'c1.txt', 'd1.txt', 'src/build.py', '# comment'].filter(ignored)).to.deep.equal([]);
  });

  it('writes the identity as image labels and reads it back; other images name none', () => {
    const source = { digest: `sha256:${'ab'.repeat(32)}`, revision: 'f'.repeat(40), dirty: true, url: 'https://github.com/x/y.git' };
    const labels = sourceLabels(source);
    expect(labels).to.deep.equal([
      `org.opencontainers.image.revision=${'f'.repeat(40)}`,
      'io.mip-verify.source-dirty=true',
      'org.opencontainers.image.source=https://github.com/x/y.git',
      `io.mip-verify.source-digest=sha256:${'ab'.repeat(32)}`,
    ]);
    const asRecord = Object.fromEntries(labels.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(sourceFromLabels({ ...asRecord, maintainer: 'someone' })).to.deep.equal(source);
    expect(labelsName(asRecord, source)).to.equal(true);
    expect(labelsName(asRecord, { ...source, dirty: false }), 'the checkout was committed since').to.equal(false);
    expect(labelsName({}, source)).to.equal(false);
    expect(sourceLabels({ digest: 'sha256:00' })).to.deep.equal(['io.mip-verify.source-digest=sha256:00']);
    expect(sourceFromLabels({ maintainer: 'someone' })).to.equal(undefined);
    expect(sourceFromLabels(null)).to.equal(undefined);
  });

  it('never writes credentials of a remote URL', () => {
    expect(withoutCredentials('https://x-access-token:ghp_secret@github.com/a/b.git')).to.equal('https://github.com/a/b.git');
    expect(withoutCredentials('https://ghp_secret@github.com/a/b')).to.equal('https://github.com/a/b');
    expect(withoutCredentials('ssh://git:pw@host/a/b.git')).to.equal('ssh://git@host/a/b.git');
    expect(withoutCredentials('git@github.com:a/b.git')).to.equal('git@github.com:a/b.git');
  });
});
