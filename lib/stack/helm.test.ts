import { expect } from 'chai';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fakeCluster, fakeTools, type FakeTools } from '../../fixtures/support/fake-tools.ts';
import { ConfigError, HarnessError } from '../errors.ts';
import type { OpOptions } from '../cluster/types.ts';
import { createDeployer } from './index.ts';
import type { StackSpec } from './types.ts';

describe('helm deployer', () => {
  let tools: FakeTools;
  let chart: string;
  let values: string;
  let spec: StackSpec;
  const options: OpOptions = { signal: new AbortController().signal };

  beforeEach(async () => {
    tools = await fakeTools();
    chart = join(tools.dir, 'exaflow');
    values = join(tools.dir, 'values-kind.yaml');
    await mkdir(chart);
    await writeFile(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: exaflow\nversion: 0.1.0\n');
    await writeFile(values, 'controller: {image: exaflow/controller:dev}\n');
    spec = { name: 'mip', source: chart, namespace: 'mip', images: {}, valuesFiles: [values], release: 'exaflow' };
  });
  afterEach(() => tools.cleanup());

  it('names a chart directory without Chart.yaml and a missing values file', async () => {
    const deployer = createDeployer('helm', { env: tools.env });
    const noChart = await deployer.validate({ ...spec, source: tools.dir }, options).catch((e: unknown) => e);
    expect(noChart).to.be.instanceOf(ConfigError);
    expect((noChart as Error).message).to.equal(`chart directory '${tools.dir}' has no Chart.yaml`);
    const missing = join(tools.dir, 'values-missing.yaml');
    const noValues = await deployer.validate({ ...spec, valuesFiles: [values, missing] }, options).catch((e: unknown) => e);
    expect((noValues as Error).message).to.equal(`values file '${missing}' does not exist`);
    expect(await tools.calls()).to.deep.equal([]);
  });

  it("renders with helm template and reports helm's error when the chart does not render", async () => {
    await createDeployer('helm', { env: tools.env }).validate(spec, options);
    expect(await tools.calls()).to.deep.equal([['helm', 'template', 'exaflow', chart, '-n', 'mip', '-f', values]]);
    const failing = createDeployer('helm', { env: { ...tools.env, FAKE_HELM_MODE: 'template-fails' } });
    const error = await failing.validate(spec, options).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.equal(
      `helm could not render chart '${chart}': Error: template: mip/templates/controller.yaml:12:20: executing "mip/templates/controller.yaml" at <.Values.controller.image>: nil pointer evaluating interface {}.image`,
    );
  });

  it('installs with helm upgrade --install into the cluster context, extra arguments last', async () => {
    const cluster = fakeCluster();
    const deployer = createDeployer('helm', { env: tools.env, extraArgs: ['--timeout', '10m'] });
    const stack = await deployer.deploy(spec, cluster, options);
    expect(await tools.calls()).to.deep.equal([
      [
        'helm',
        'upgrade',
        '--install',
        'exaflow',
        chart,
        '-n',
        'mip',
        '--create-namespace',
        '-f',
        values,
        '--kube-context',
        'kind-mip-verify',
        '--kubeconfig',
        cluster.kubeconfigPath,
        '--timeout',
        '10m',
      ],
    ]);
    expect(stack.spec).to.equal(spec);
    expect(stack.url('/services/health')).to.equal('http://127.0.0.1:18080/services/health');
  });

  it('names the release after the stack when none is given, and says image overrides go through values', async () => {
    const lines: string[] = [];
    await createDeployer('helm', { env: tools.env }).deploy(
      { ...spec, release: undefined, images: { 'exaflow/controller': 'x:1' } },
      fakeCluster(),
      { ...options, progress: (line) => lines.push(line) },
    );
    expect((await tools.calls())[0]?.slice(0, 4)).to.deep.equal(['helm', 'upgrade', '--install', 'mip']);
    expect(lines[0]).to.equal('helm stack mip takes image overrides through its values files; --image is not applied');
  });

  it('uninstalls, treating a release that is already gone as success', async () => {
    const cluster = fakeCluster();
    const stack = await createDeployer('helm', { env: { ...tools.env, FAKE_HELM_MODE: 'not-found' } }).deploy(spec, cluster, options);
    await stack.uninstall(options);
    expect((await tools.calls()).at(-1)).to.deep.equal([
      'helm',
      'uninstall',
      'exaflow',
      '-n',
      'mip',
      '--kube-context',
      'kind-mip-verify',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
  });

  it('passes on any other uninstall failure so the teardown records it', async () => {
    const stack = await createDeployer('helm', { env: { ...tools.env, FAKE_HELM_MODE: 'uninstall-fails' } }).deploy(
      spec,
      fakeCluster(),
      options,
    );
    const error = await stack.uninstall(options).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(HarnessError).with.property('kind', 'tool');
    expect((error as Error).message).to.include('Kubernetes cluster unreachable');
  });
});
