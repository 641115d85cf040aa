import { expect } from 'chai';
import { fakeTools, type FakeTools } from '../../fixtures/support/fake-tools.ts';
import { createTools } from './command-runner.ts';
import { kindImageLoader } from './kind-images.ts';

describe('kind image loader', () => {
  let tools: FakeTools;
  const options = { signal: new AbortController().signal };

  beforeEach(async () => {
    tools = await fakeTools({ FAKE_KIND_CLUSTERS: 'mip-verify', FAKE_DOCKER_IMAGES: 'mip-verify.local/app:1,mip-verify.local/redis:1' });
  });
  afterEach(() => tools.cleanup());

  it('saves the images present locally into one archive and loads it into the cluster', async () => {
    const loader = kindImageLoader('mip-verify', createTools(tools.env));
    const loaded = await loader.loadLocal(
      ['mip-verify.local/app:1', 'docker.io/library/nginx:1', 'mip-verify.local/redis:1', 'mip-verify.local/app:1'],
      options,
    );
    expect(loaded).to.deep.equal(['mip-verify.local/app:1', 'mip-verify.local/redis:1']);
    const calls = (await tools.calls()).filter((c) => c[1] === 'save' || c[1] === 'load');
    expect(calls[0]?.slice(0, 3)).to.deep.equal(['docker', 'save', '-o']);
    expect(calls[0]?.slice(4)).to.deep.equal(['mip-verify.local/app:1', 'mip-verify.local/redis:1']);
    expect(calls[1]?.slice(0, 3)).to.deep.equal(['kind', 'load', 'image-archive']);
    expect(calls[1]?.slice(-2)).to.deep.equal(['--name', 'mip-verify']);
  });

  it('remembers what the images it loaded were built from, as their labels say; other images name nothing', async () => {
    await tools.cleanup();
    const digest = `sha256:${'c4'.repeat(32)}`;
    tools = await fakeTools({
      FAKE_KIND_CLUSTERS: 'mip-verify',
      FAKE_DOCKER_IMAGES: 'mip-verify.local/app:1,mip-verify.local/redis:1',
      FAKE_DOCKER_LABELS: JSON.stringify({
        'mip-verify.local/app:1': {
          'org.opencontainers.image.revision': '3f1c0de8a1b2c3d4e5f60718293a4b5c6d7e8f90',
          'io.mip-verify.source-dirty': 'false',
          'io.mip-verify.source-digest': digest,
        },
        'mip-verify.local/redis:1': { maintainer: 'someone' },
      }),
    });
    const loader = kindImageLoader('mip-verify', createTools(tools.env));
    expect(loader.sources?.()).to.deep.equal({});
    await loader.loadLocal(['mip-verify.local/app:1', 'mip-verify.local/redis:1'], options);
    expect(loader.sources?.()).to.deep.equal({
      'mip-verify.local/app:1': { digest, revision: '3f1c0de8a1b2c3d4e5f60718293a4b5c6d7e8f90', dirty: false },
    });
  });

  it('does nothing when no image is local (the cluster pulls them)', async () => {
    const loader = kindImageLoader('mip-verify', createTools(tools.env));
    expect(await loader.loadLocal(['docker.io/library/nginx:1'], options)).to.deep.equal([]);
    expect((await tools.calls()).some((c) => c[1] === 'save')).to.equal(false);
  });

  it('loads only the images some node lacks under that name and id, and still names every local image', async () => {
    await tools.cleanup();
    tools = await fakeTools({
      FAKE_KIND_CLUSTERS: 'mip-verify',
      FAKE_DOCKER_IMAGES: 'mip-verify.local/app:1,mip-verify.local/redis:1',
      FAKE_DOCKER_EXEC_STDOUT: 'mip-verify.local/app:1 sha256:0123\nmip-verify.local/redis:1 sha256:9999',
    });
    const lines: string[] = [];
    const loader = kindImageLoader('mip-verify', createTools(tools.env));
    const loaded = await loader.loadLocal(['mip-verify.local/app:1', 'mip-verify.local/redis:1'], {
      ...options,
      progress: (line) => lines.push(line),
    });
    expect(loaded).to.deep.equal(['mip-verify.local/app:1', 'mip-verify.local/redis:1']);
    const save = (await tools.calls()).find((c) => c[1] === 'save');
    expect(save?.slice(4)).to.deep.equal(['mip-verify.local/redis:1']);
    expect(lines[0]).to.equal("the nodes of 'mip-verify' already hold mip-verify.local/app:1");
  });
});
