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
      spec: {
        name: 'openms',
        source: join('/checkout', 'fixtures', 'stacks', 'openms'),
        namespace: 'mip-verify-openms',
        images: { web: 'registry.local/web:2' },
      },
    });
  });

  it('deploys the reference mip stack with the mip deployer: the Exaflow chart, then the web chart, from fixtures', () => {
    const plan = planStack({ stack: 'mip', images: {} }, '/checkout');
    const reference = join('/checkout', 'fixtures', 'stacks', 'mip');
    expect(plan).to.deep.equal({
      deployer: 'mip',
      reference: true,
      spec: {
        name: 'mip',
        source: reference,
        namespace: 'mip-verify-mip',
        images: {},
        charts: [
          { role: 'exaflow', release: 'exaflow', chart: join(reference, 'exaflow'), valuesFiles: [] },
          { role: 'web', release: 'mip', chart: join(reference, 'web'), valuesFiles: [] },
        ],
      },
    });
  });

  it('deploys mip from the charts, values files and data the user named', () => {
    const mip = {
      exaflowChart: '/opt/exaflow/kubernetes',
      webChart: '/opt/mip-deployment/kubernetes',
      exaflowValues: ['/etc/mip/exaflow.yaml'],
      webValues: ['/etc/mip/web.yaml', '/etc/mip/web-kind.yaml'],
      data: '/srv/mip-data',
    };
    const plan = planStack({ stack: 'mip', images: { 'exaflow/controller': 'x:1' }, mip }, '/checkout');
    expect(plan).to.deep.include({ deployer: 'mip', reference: false });
    expect(plan.spec).to.deep.include({
      source: '/opt/exaflow/kubernetes + /opt/mip-deployment/kubernetes',
      images: { 'exaflow/controller': 'x:1' },
      data: '/srv/mip-data',
    });
    expect(plan.spec.charts).to.deep.equal([
      { role: 'exaflow', release: 'exaflow', chart: '/opt/exaflow/kubernetes', valuesFiles: ['/etc/mip/exaflow.yaml'] },
      {
        role: 'web',
        release: 'mip',
        chart: '/opt/mip-deployment/kubernetes',
        valuesFiles: ['/etc/mip/web.yaml', '/etc/mip/web-kind.yaml'],
      },
    ]);
  });

  it('takes the reference web chart with a user Exaflow chart, and leaves the plan user-made', () => {
    const plan = planStack(
      { stack: 'mip', images: {}, mip: { exaflowChart: '/opt/exaflow/kubernetes', exaflowValues: [], webValues: [] } },
      '/checkout',
    );
    expect(plan.reference).to.equal(false);
    expect(plan.spec.charts?.map((c) => c.chart)).to.deep.equal([
      '/opt/exaflow/kubernetes',
      join('/checkout', 'fixtures', 'stacks', 'mip', 'web'),
    ]);
    expect(plan.spec).to.not.have.property('data');
  });
});

describe('checkStackSource', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'mip-verify-stack-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('accepts an existing directory', async () => {
    await checkStackSource(planStack({ stack: 'openms', stackSource: dir, images: {} }));
  });

  it('says the reference openms stack is not available and to pass --stack-source', async () => {
    const error: unknown = await checkStackSource(planStack({ stack: 'openms', images: {} }, dir)).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).message).to.match(/^The reference openms stack is not available in this checkout/);
    expect((error as ConfigError).hint).to.equal('Pass --stack-source with the path of a kustomize directory.');
  });

  it('does not check the mip charts itself: the mip deployer checks each one', async () => {
    await checkStackSource(planStack({ stack: 'mip', images: {} }, dir));
    await checkStackSource(
      planStack({ stack: 'mip', images: {}, mip: { exaflowChart: join(dir, 'nope'), exaflowValues: [], webValues: [] } }, dir),
    );
  });

  it('names a user path that is not a directory', async () => {
    const error: unknown = await checkStackSource(planStack({ stack: 'openms', stackSource: join(dir, 'nope'), images: {} })).catch(
      (e: unknown) => e,
    );
    expect(error)
      .to.be.instanceOf(ConfigError)
      .and.to.have.property('message', `Stack source ${join(dir, 'nope')} is not a directory.`);
  });
});
