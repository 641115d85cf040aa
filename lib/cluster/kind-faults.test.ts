import { expect } from 'chai';
import { fakeTools, type FakeTools } from '../../fixtures/support/fake-tools.ts';
import { ConfigError } from '../errors.ts';
import { createTools } from './command-runner.ts';
import { kindNodeFaults } from './kind-faults.ts';
import type { OpOptions } from './types.ts';

describe('kind node faults', () => {
  let tools: FakeTools;
  const options: OpOptions = { signal: new AbortController().signal };
  beforeEach(async () => {
    tools = await fakeTools({ FAKE_KIND_CLUSTERS: 'mip-verify' });
  });
  afterEach(() => tools.cleanup());

  it('stops, starts, restarts, pauses and unpauses the node container with docker', async () => {
    const faults = kindNodeFaults('mip-verify', createTools(tools.env));
    await faults.stop('mip-verify-worker', options);
    await faults.start('mip-verify-worker', options);
    await faults.restart('mip-verify-worker2', options);
    await faults.pause?.('mip-verify-control-plane', options);
    await faults.unpause?.('mip-verify-control-plane', options);
    const docker = (await tools.calls()).filter((c) => c[0] === 'docker');
    expect(docker).to.deep.equal([
      ['docker', 'stop', 'mip-verify-worker'],
      ['docker', 'start', 'mip-verify-worker'],
      ['docker', 'restart', 'mip-verify-worker2'],
      ['docker', 'pause', 'mip-verify-control-plane'],
      ['docker', 'unpause', 'mip-verify-control-plane'],
    ]);
    expect((await tools.calls())[0]).to.deep.equal(['kind', 'get', 'nodes', '--name', 'mip-verify']);
  });

  it('refuses a node of another cluster, naming it and listing the valid ones, without calling docker', async () => {
    const faults = kindNodeFaults('mip-verify', createTools(tools.env));
    const error = await faults.stop('kind-worker', options).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.equal(
      "node 'kind-worker' is not a node of kind cluster 'mip-verify' (its nodes: mip-verify-control-plane, mip-verify-worker, mip-verify-worker2)",
    );
    expect((await tools.calls()).some((c) => c[0] === 'docker')).to.equal(false);
  });
});
