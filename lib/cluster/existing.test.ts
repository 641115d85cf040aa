import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fakeKube, fakeNode, fakeTools, type FakeTools } from '../../fixtures/support/fake-tools.ts';
import { ConfigError, HarnessError } from '../errors.ts';
import type { Kube } from '../k8s/client.ts';
import { createProvider } from './index.ts';
import type { OpOptions } from './types.ts';

const kubeconfigText = (current: string): string => `apiVersion: v1
kind: Config
clusters:
- name: aks
  cluster: {server: 'https://aks.example:443'}
contexts:
- name: aks-prod
  context: {cluster: aks, user: me}
- name: aks-test
  context: {cluster: aks, user: me}
current-context: ${current}
users:
- name: me
  user: {token: not-a-real-token}
`;

describe('existing provider', () => {
  let tools: FakeTools;
  let kubeconfig: string;
  const options: OpOptions = { signal: new AbortController().signal };
  const connected: (string | undefined)[] = [];
  const connect =
    (kube: Kube) =>
    (_path: string, context?: string): Kube => {
      connected.push(context);
      return kube;
    };

  beforeEach(async () => {
    tools = await fakeTools();
    kubeconfig = join(tools.dir, 'kubeconfig');
    await writeFile(kubeconfig, kubeconfigText('aks-test'));
    connected.length = 0;
  });
  afterEach(() => tools.cleanup());

  it('names an unreadable kubeconfig', async () => {
    const missing = join(tools.dir, 'nope');
    const error = await createProvider({ provider: 'existing', kubeconfig: missing }, { env: tools.env })
      .validate()
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.equal(`kubeconfig '${missing}' is not readable (ENOENT)`);
  });

  it('names a missing context and lists the available ones, touching nothing', async () => {
    const provider = createProvider({ provider: 'existing', kubeconfig, context: 'gke-dev' }, { env: tools.env });
    const error = await provider.validate().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.equal(`context 'gke-dev' is not in kubeconfig '${kubeconfig}' (available: aks-prod, aks-test)`);
    expect(await tools.calls()).to.deep.equal([]);
  });

  it('attaches to the current context when none is named: read-only, no node faults', async () => {
    const api = fakeKube([fakeNode('aks-node-1'), fakeNode('aks-node-2')]);
    const lines: string[] = [];
    const provider = createProvider({ provider: 'existing', kubeconfig }, { env: tools.env, connect: connect(api.kube) });
    const cluster = await provider.provision({ ...options, progress: (line) => lines.push(line) });
    expect(connected).to.deep.equal(['aks-test']);
    expect(cluster).to.include({
      name: 'aks-test',
      context: 'aks-test',
      provider: 'existing',
      disposable: false,
      ingressUrl: 'http://127.0.0.1:80',
    });
    expect(cluster.nodes).to.equal(undefined);
    expect(lines).to.deep.equal(["context 'aks-test' answers: Kubernetes v1.33.1, 2 nodes"]);
    expect(api.patches).to.deep.equal([]);
    await provider.destroy(options);
    expect(await tools.calls()).to.deep.equal([]);
  });

  it('uses the configured ingress URL', async () => {
    const api = fakeKube([]);
    const config = { provider: 'existing', kubeconfig, context: 'aks-prod', ingressUrl: 'https://openms.example.org' } as const;
    const cluster = await createProvider(config, { env: tools.env, connect: connect(api.kube) }).provision(options);
    expect(cluster.ingressUrl).to.equal('https://openms.example.org');
    expect(connected).to.deep.equal(['aks-prod']);
  });

  it('fails provisioning naming the context when the API server does not answer', async () => {
    const api = fakeKube([], {}, new Error('connect ECONNREFUSED 10.0.0.1:443'));
    const provider = createProvider({ provider: 'existing', kubeconfig }, { env: tools.env, connect: connect(api.kube) });
    const error = await provider.provision(options).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(HarnessError).with.property('kind', 'provision');
    expect((error as Error).message).to.match(/^the API server of context 'aks-test' did not answer: .*ECONNREFUSED/);
  });
});
