import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fakeKube, fakeNode, fakeTools, type FakeKube, type FakeTools } from '../../fixtures/support/fake-tools.ts';
import { ConfigError, HarnessError } from '../errors.ts';
import type { ClusterConfig } from '../config/types.ts';
import { TimeoutError } from '../wait.ts';
import { createProvider } from './index.ts';
import { renderKindConfig } from './kind-config.ts';
import type { Cluster, OpOptions, ProviderDeps } from './types.ts';

const kindNodes = (ready = true): ReturnType<typeof fakeNode>[] => [
  fakeNode('mip-verify-control-plane', { 'node-role.kubernetes.io/control-plane': '' }, ready),
  fakeNode('mip-verify-worker', {}, ready),
  fakeNode('mip-verify-worker2', {}, ready),
];

describe('kind provider', () => {
  let tools: FakeTools;
  let api: FakeKube;
  let lines: string[];
  let options: OpOptions;
  let config: Extract<ClusterConfig, { provider: 'kind' }>;
  let hookCalls: { cluster: Cluster; reused: boolean }[];

  const deps = (extra: ProviderDeps = {}): ProviderDeps => ({
    env: tools.env,
    connect: (path, context) => {
      expect([path, context]).to.deep.equal([join(tools.env.MIP_VERIFY_CACHE ?? '', 'kubeconfig-mip-verify'), 'kind-mip-verify']);
      return api.kube;
    },
    afterCreate: (cluster, { reused }) => {
      hookCalls.push({ cluster, reused });
      return Promise.resolve();
    },
    ...extra,
  });

  beforeEach(async () => {
    tools = await fakeTools();
    api = fakeKube(kindNodes());
    lines = [];
    hookCalls = [];
    options = { signal: new AbortController().signal, progress: (line) => lines.push(line) };
    config = { provider: 'kind', name: 'mip-verify', httpPort: 18080, sharedDir: join(tools.dir, 'shared'), workers: 2 };
  });
  afterEach(() => tools.cleanup());

  it('creates an absent cluster from the config on stdin, with its kubeconfig in the cache', async () => {
    const kubeconfig = join(tools.env.MIP_VERIFY_CACHE ?? '', 'kubeconfig-mip-verify');
    await createProvider(config, deps({ defaultNodeImage: () => 'mip-verify/node:v1.33.1' })).provision(options);
    expect(await tools.calls()).to.deep.equal([
      ['kind', 'version'],
      ['docker', 'info', '--format', '{{.ServerVersion}}'],
      ['kind', 'get', 'clusters'],
      [
        'kind',
        'create',
        'cluster',
        '--name',
        'mip-verify',
        '--config',
        '-',
        '--image',
        'mip-verify/node:v1.33.1',
        '--kubeconfig',
        kubeconfig,
        '--wait',
        '0s',
      ],
    ]);
    const [stdin] = await tools.stdin();
    expect(stdin?.stdin).to.equal(renderKindConfig(config));
    expect(existsSync(kubeconfig)).to.equal(true);
    expect(existsSync(config.sharedDir)).to.equal(true);
  });

  it('labels the nodes through the API and hands the cluster to the afterCreate hook', async () => {
    const cluster = await createProvider(config, deps()).provision(options);
    expect(api.patches).to.deep.equal([
      { name: 'mip-verify-control-plane', body: { metadata: { labels: { master: 'true', 'ingress-ready': 'true' } } } },
      { name: 'mip-verify-worker', body: { metadata: { labels: { worker: 'true' } } } },
      { name: 'mip-verify-worker2', body: { metadata: { labels: { worker: 'true' } } } },
    ]);
    expect(hookCalls).to.have.length(1);
    expect(hookCalls[0]?.reused).to.equal(false);
    expect(cluster).to.include({
      name: 'mip-verify',
      context: 'kind-mip-verify',
      ingressUrl: 'http://127.0.0.1:18080',
      disposable: true,
      sharedDir: config.sharedDir,
    });
    expect(cluster.nodes !== undefined && 'pause' in cluster.nodes).to.equal(true);
    expect(await cluster.serverVersion()).to.equal('v1.33.1');
    expect((await cluster.listNodes()).map((n) => n.roles)).to.deep.equal([['control-plane'], [], []]);
  });

  it('prefers the configured node image, and leaves the image to kind when none is known', async () => {
    await createProvider({ ...config, nodeImage: 'kindest/node:v1.33.1' }, deps({ defaultNodeImage: () => 'other' })).provision(options);
    await createProvider(config, deps()).provision(options);
    const creates = (await tools.calls()).filter((c) => c[1] === 'create');
    expect(creates[0]).to.include('kindest/node:v1.33.1');
    expect(creates[1]).not.to.include('--image');
  });

  it('reuses a cluster that exists: exports its kubeconfig instead of creating it', async () => {
    tools.env.FAKE_KIND_CLUSTERS = 'other,mip-verify';
    await createProvider(config, deps()).provision(options);
    const calls = await tools.calls();
    expect(calls.slice(2)).to.deep.equal([
      ['kind', 'get', 'clusters'],
      ['kind', 'get', 'nodes', '--name', 'mip-verify'],
      [
        'kind',
        'export',
        'kubeconfig',
        '--name',
        'mip-verify',
        '--kubeconfig',
        join(tools.env.MIP_VERIFY_CACHE ?? '', 'kubeconfig-mip-verify'),
      ],
    ]);
    expect(lines).to.include("reusing kind cluster 'mip-verify' (reused: true)");
    expect(hookCalls[0]?.reused).to.equal(true);
  });

  it('refuses to reuse a cluster whose node count differs from the configuration', async () => {
    tools.env.FAKE_KIND_CLUSTERS = 'mip-verify';
    tools.env.FAKE_KIND_WORKERS = '1';
    const error = await createProvider(config, deps())
      .provision(options)
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(HarnessError).with.property('kind', 'provision');
    expect((error as Error).message).to.equal("kind cluster 'mip-verify' already exists with 2 nodes, but 3 are configured");
  });

  it('stops before creating anything when docker is not usable', async () => {
    tools.env.FAKE_DOCKER_MODE = 'down';
    const error = await createProvider(config, deps())
      .provision(options)
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(HarnessError).with.property('kind', 'prerequisite');
    expect((error as Error).message).to.match(/^docker is not usable: docker exited with code 1/);
    expect((await tools.calls()).map((c) => c.slice(0, 2).join(' '))).to.deep.equal(['kind version', 'docker info']);
  });

  it('rejects a cluster name kind cannot use', async () => {
    const error = await createProvider({ ...config, name: 'Bad_Name' }, deps())
      .validate()
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.include("'Bad_Name'");
  });

  it('times out naming the nodes when they do not become Ready within the provision budget', async () => {
    api = fakeKube(kindNodes(false));
    const error = await createProvider(config, deps({ timeouts: { provision: 1_000 } }))
      .provision(options)
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TimeoutError);
    expect((error as Error).message).to.match(/waiting for 3 Ready nodes \(last seen: 0\/3 Ready/);
  });

  it('destroys the cluster without touching the default kubeconfig, and removes its own', async () => {
    await createProvider(config, deps()).provision(options);
    const kubeconfig = join(tools.env.MIP_VERIFY_CACHE ?? '', 'kubeconfig-mip-verify');
    tools.env.FAKE_KIND_CLUSTERS = 'mip-verify';
    await createProvider(config, deps()).destroy(options);
    const calls = await tools.calls();
    const from = calls.findIndex((c) => c[0] === 'kind' && c[1] === 'delete');
    expect(calls.slice(from - 1, from + 2)).to.deep.equal([
      ['kind', 'get', 'clusters'],
      ['kind', 'delete', 'cluster', '--name', 'mip-verify', '--kubeconfig', kubeconfig],
      ['docker', 'ps', '-aq', '--filter', 'label=io.x-k8s.kind.cluster=mip-verify'],
    ]);
    expect(calls.at(-1)).to.deep.equal(['docker', 'network', 'inspect', 'kind', '--format', '{{len .Containers}}']);
    expect(existsSync(kubeconfig)).to.equal(false);
  });

  it('destroys idempotently: an absent cluster is success without a delete', async () => {
    const provider = createProvider(config, deps());
    await provider.destroy(options);
    await provider.destroy(options);
    const calls = (await tools.calls()).map((c) => c.join(' '));
    expect(calls.filter((c) => c.startsWith('kind'))).to.deep.equal(['kind get clusters', 'kind get clusters']);
    expect(calls.filter((c) => c.startsWith('docker rm'))).to.deep.equal([]);
  });

  it('says whether the cluster exists', async () => {
    const exists = (clusters: string): Promise<boolean> =>
      createProvider(config, deps({ env: { ...tools.env, FAKE_KIND_CLUSTERS: clusters } })).exists(options);
    expect(await exists('')).to.equal(false);
    expect(await exists('mip-verify-2,mip-verify')).to.equal(true);
    expect(await exists('mip-verify-2')).to.equal(false);
  });

  it("exports each node's container output and kubelet and containerd journals", async () => {
    await createProvider(config, deps()).provision(options);
    tools.env.FAKE_KIND_CLUSTERS = 'mip-verify';
    const cluster = await createProvider(config, deps()).provision(options);
    const dir = join(tools.dir, 'logs');
    await cluster.exportLogs(dir, options);
    const calls = (await tools.calls())
      .filter((c) => c[0] === 'docker' && (c[1] === 'logs' || c[1] === 'exec'))
      .map((c) => c.slice(1, 3).join(' '));
    expect(calls.slice(0, 3)).to.deep.equal([
      'logs mip-verify-control-plane',
      'exec mip-verify-control-plane',
      'exec mip-verify-control-plane',
    ]);
    for (const file of ['node.log', 'kubelet.log', 'containerd.log'])
      expect(existsSync(join(dir, 'mip-verify-worker2', file)), file).to.equal(true);
  });
});
