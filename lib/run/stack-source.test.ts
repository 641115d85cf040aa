import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError } from '../errors.ts';
import { checkStackSource, planStack } from './stack-source.ts';

describe('planStack', () => {
  it('deploys openms from the reference kustomize directory into its own namespace, with the image overrides', () => {
    const plan = planStack({ stack: 'openms', images: { web: 'registry.local/web:2' } }, '/checkout');
    expect(plan).to.deep.equal({
      deployer: 'kustomize',
      reference: true,
      spec: { name: 'openms', source: join('/checkout', 'fixtures', 'stacks', 'openms'), namespace: 'mip-verify-openms', images: { web: 'registry.local/web:2' } },
    });
  });

  it('deploys mip as a Helm release from the source the user named', () => {
    const plan = planStack({ stack: 'mip', stackSource: '/opt/mip-deployment/kubernetes', images: {} }, '/checkout');
    expect(plan).to.deep.include({ deployer: 'helm', reference: false });
    expect(plan.spec).to.include({ source: '/opt/mip-deployment/kubernetes', namespace: 'mip-verify-mip', release: 'mip' });
  });
});

describe('checkStackSource', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'mip-verify-stack-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('accepts an existing directory', async () => {
    await checkStackSource(planStack({ stack: 'openms', stackSource: dir, images: {} }));
  });

  it('says the reference stack is not available and to pass --stack-source', async () => {
    const error: unknown = await checkStackSource(planStack({ stack: 'mip', images: {} }, dir)).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).message).to.match(/^The reference mip stack is not available in this checkout/);
    expect((error as ConfigError).hint).to.equal('Pass --stack-source with the path of a Helm chart directory.');
  });

  it('names a user path that is not a directory', async () => {
    const error: unknown = await checkStackSource(planStack({ stack: 'openms', stackSource: join(dir, 'nope'), images: {} })).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError).and.to.have.property('message', `Stack source ${join(dir, 'nope')} is not a directory.`);
  });
});
