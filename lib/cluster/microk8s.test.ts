import { expect } from 'chai';
import { readFile, stat } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { fakeKube, fakeNode, fakeTools, type FakeKube, type FakeTools } from '../../fixtures/support/fake-tools.ts';
import { ConfigError, HarnessError } from '../errors.ts';
import { createProvider } from './index.ts';
import { parseStatus } from './microk8s.ts';
import type { OpOptions, ProviderDeps } from './types.ts';

describe('microk8s provider', () => {
  let tools: FakeTools;
  let api: FakeKube;
  const options: OpOptions = { signal: new AbortController().signal };
  const hosts = ['ubuntu@vm1', 'ubuntu@vm2'];
  const deps = (): ProviderDeps => ({ env: tools.env, connect: () => api.kube });
  const remote = async (): Promise<string[]> =>
    (await tools.calls()).filter((c) => c[0] === 'ssh').map((c) => `${c[5]}: ${c.slice(7).join(' ')}`);

  beforeEach(async () => {
    tools = await fakeTools();
    api = fakeKube([fakeNode('vm1'), fakeNode('vm2')]);
  });
  afterEach(() => tools.cleanup());

  it('names the missing addon and the host, with the command that enables it', async () => {
    tools.env.FAKE_MICROK8S_DISABLED = 'ingress';
    tools.env.FAKE_MICROK8S_DISABLED_HOST = 'vm2';
    const error = await createProvider({ provider: 'microk8s', hosts }, deps())
      .validate()
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(HarnessError).with.property('kind', 'prerequisite');
    expect((error as HarnessError).message).to.equal("microk8s addon 'ingress' is not enabled on ssh ubuntu@vm2");
    expect((error as HarnessError).hint).to.equal('run `microk8s enable ingress` there');
  });

  it('says when microk8s is not running', async () => {
    tools.env.FAKE_MICROK8S_MODE = 'not-running';
    const error = await createProvider({ provider: 'microk8s', hosts: [] }, deps())
      .validate()
      .catch((e: unknown) => e);
    expect((error as Error).message).to.equal('microk8s is not running on this machine');
  });

  it('says when a host cannot be reached', async () => {
    tools.env.FAKE_SSH_MODE = 'unreachable';
    const error = await createProvider({ provider: 'microk8s', hosts }, deps())
      .validate()
      .catch((e: unknown) => e);
    expect((error as Error).message).to.match(/^microk8s did not answer on ssh ubuntu@vm1: ssh exited with code 255/);
  });

  it('fetches the kubeconfig into the cache (owner-only) and labels the first host master, the others workers', async () => {
    const cluster = await createProvider({ provider: 'microk8s', hosts }, deps()).provision(options);
    const kubeconfig = join(tools.env.MIP_VERIFY_CACHE ?? '', 'kubeconfig-microk8s');
    expect(cluster).to.include({ kubeconfigPath: kubeconfig, context: 'microk8s', ingressUrl: 'http://vm1:80', disposable: false });
    expect(await readFile(kubeconfig, 'utf8')).to.include('current-context: microk8s');
    expect((await stat(kubeconfig)).mode & 0o777).to.equal(0o600);
    expect(api.patches).to.deep.equal([
      { name: 'vm1', body: { metadata: { labels: { master: 'true' } } } },
      { name: 'vm2', body: { metadata: { labels: { worker: 'true' } } } },
    ]);
    const calls = await remote();
    expect(calls.slice(0, 3)).to.deep.equal([
      'ubuntu@vm1: microk8s status --format yaml',
      'ubuntu@vm2: microk8s status --format yaml',
      'ubuntu@vm1: microk8s config',
    ]);
    expect(calls.slice(3).sort()).to.deep.equal(['ubuntu@vm1: hostname', 'ubuntu@vm2: hostname']);
  });

  it('labels a single local node both master and worker', async () => {
    const name = osHostname().toLowerCase();
    api = fakeKube([fakeNode(name)]);
    const cluster = await createProvider({ provider: 'microk8s', hosts: [] }, deps()).provision(options);
    expect(cluster.ingressUrl).to.equal('http://127.0.0.1:80');
    expect(api.patches).to.deep.equal([{ name, body: { metadata: { labels: { master: 'true', worker: 'true' } } } }]);
  });

  it('stops and starts microk8s on the host whose hostname is the node', async () => {
    const cluster = await createProvider({ provider: 'microk8s', hosts }, deps()).provision(options);
    await cluster.nodes?.stop('vm2', options);
    await cluster.nodes?.start('vm2', options);
    const faults = (await remote()).filter((line) => /microk8s (stop|start)/.test(line));
    expect(faults).to.deep.equal(['ubuntu@vm2: microk8s stop', 'ubuntu@vm2: microk8s start']);
  });

  it('refuses a node that is none of the hosts, listing the nodes', async () => {
    const cluster = await createProvider({ provider: 'microk8s', hosts }, deps()).provision(options);
    const error = await cluster.nodes?.stop('vm3', options).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.equal("node 'vm3' is not a host of this microk8s cluster (its nodes: vm1, vm2)");
  });

  it('restarts a remote node by rebooting it and waiting for a new boot with microk8s running', async () => {
    const cluster = await createProvider({ provider: 'microk8s', hosts }, deps()).provision(options);
    await cluster.nodes?.restart('vm1', options);
    expect((await remote()).slice(-4)).to.deep.equal([
      'ubuntu@vm1: cat /proc/sys/kernel/random/boot_id',
      'ubuntu@vm1: sudo -n reboot',
      'ubuntu@vm1: cat /proc/sys/kernel/random/boot_id',
      'ubuntu@vm1: microk8s status --format yaml',
    ]);
  });

  it('reads microk8s status and tolerates output that is not YAML', () => {
    const status = parseStatus(
      'microk8s:\n  running: true\naddons:\n- name: dns\n  status: enabled\n- name: ingress\n  status: disabled\n',
    );
    expect(status.running).to.equal(true);
    expect([...status.enabled]).to.deep.equal(['dns']);
    expect(parseStatus('microk8s is not running. Use microk8s inspect for a deeper inspection.').running).to.equal(false);
  });
});
