import { expect } from 'chai';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fakeTools, type FakeTools } from '../../../fixtures/support/fake-tools.ts';
import type { OpOptions } from '../../cluster/types.ts';
import { ConfigError } from '../../errors.ts';
import { createDeployer } from '../index.ts';
import type { StackSpec } from '../types.ts';

describe('mip deployer: validate', () => {
  let tools: FakeTools;
  let spec: StackSpec;
  const options: OpOptions = { signal: new AbortController().signal };

  beforeEach(async () => {
    tools = await fakeTools();
    for (const name of ['exaflow', 'web']) {
      await mkdir(join(tools.dir, name));
      await writeFile(join(tools.dir, name, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`);
    }
    spec = {
      name: 'mip',
      source: tools.dir,
      namespace: 'mip-verify-mip',
      images: {},
      charts: [
        { role: 'exaflow', release: 'exaflow', chart: join(tools.dir, 'exaflow'), valuesFiles: [] },
        { role: 'web', release: 'mip', chart: join(tools.dir, 'web'), valuesFiles: [] },
      ],
    };
  });
  afterEach(() => tools.cleanup());

  const failure = async (s: StackSpec, env = tools.env): Promise<Error> => {
    const error: unknown = await createDeployer('mip', { env })
      .validate(s, options)
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    return error as Error;
  };

  it('renders both charts with helm template, Exaflow first, touching no cluster', async () => {
    await createDeployer('mip', { env: tools.env }).validate(spec, options);
    const calls = await tools.calls();
    expect(calls.map((c) => c.slice(0, 3))).to.deep.equal([
      ['helm', 'template', 'exaflow'],
      ['helm', 'template', 'mip'],
    ]);
  });

  it('names the chart without Chart.yaml and the flag that passes it', async () => {
    const charts = [{ role: 'exaflow' as const, release: 'exaflow', chart: tools.dir, valuesFiles: [] }];
    const error = await failure({ ...spec, charts });
    expect(error.message).to.equal(`the Exaflow chart directory '${tools.dir}' has no Chart.yaml`);
    expect((error as ConfigError).hint).to.include('--exaflow-chart');
    expect(await tools.calls()).to.deep.equal([]);
  });

  it('names a values file that is not YAML before running helm', async () => {
    const bad = join(tools.dir, 'bad.yaml');
    await writeFile(bad, 'localnodes: [1, 2\n');
    const [exaflow, web] = spec.charts ?? [];
    const error = await failure({ ...spec, charts: [{ ...exaflow!, valuesFiles: [bad] }, web!] });
    expect(error.message).to.match(new RegExp(`^values file '${bad}' is not valid YAML: `));
    expect(await tools.calls()).to.deep.equal([]);
  });

  it("names the chart Helm cannot render, with Helm's words and the values flag", async () => {
    const error = await failure(spec, { ...tools.env, FAKE_HELM_MODE: 'template-fails' });
    expect(error.message).to.match(/^helm could not render the Exaflow chart '.*exaflow': Error: template: /);
    expect((error as ConfigError).hint).to.include('--exaflow-values');
  });

  it('names a data directory without pathology folders', async () => {
    const data = join(tools.dir, 'data');
    await mkdir(data);
    const error = await failure({ ...spec, data });
    expect(error.message).to.equal(`data directory '${data}' holds no pathology folder`);
  });
});
