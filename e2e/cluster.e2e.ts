// The offline kind cluster, proven on real pods: built from package registries, three nodes Ready,
// pod network across workers, Services, DNS, a shared ReadWriteMany volume, and Traefik on
// 127.0.0.1 with cookie affinity and long-lived websockets; then `cluster down` leaves nothing.
import { expect } from 'chai';
import WebSocket from 'ws';
import { addonsNamespace, probeImage } from '../lib/cluster/offline/addons.ts';
import { connect, type Kube } from '../lib/k8s/client.ts';
import { deploymentReady, nodesReady } from '../lib/k8s/conditions.ts';
import { applyManifests, listPods } from '../lib/k8s/objects.ts';
import { delay, waitFor } from '../lib/wait.ts';
import { affinityCookie, namespace, probeWorkload } from './cluster-workload.ts';
import { cli, context, ingress, kubeconfig, leftovers, podGet } from './support.ts';

interface Identity {
  pod: string;
  node: string;
  ip: string;
}

describe('offline kind cluster', function () {
  this.timeout(75 * 60_000);
  let kube: Kube;
  let pods: Identity[] = [];

  before(async () => {
    const built = await cli(['image', 'build'], 60 * 60_000);
    expect(built.code, `image build failed:\n${built.stderr}`).to.equal(0);
    const started = performance.now();
    const up = await cli(['cluster', 'up'], 10 * 60_000);
    expect(up.code, `cluster up failed:\n${up.stderr}\n${up.stdout}`).to.equal(0);
    console.log(`      cluster up in ${Math.round((performance.now() - started) / 1000)}s`);
    kube = connect(kubeconfig, context);
  });

  after(async () => {
    const down = await cli(['cluster', 'down'], 5 * 60_000);
    expect(down.code, `cluster down failed:\n${down.stderr}`).to.equal(0);
  });

  it('has three Ready nodes with the master/worker labels', async () => {
    await waitFor(nodesReady(kube, 3), { within: 60_000 });
    const nodes = (await kube.core.listNode()).items;
    const labelled = (label: string): number => nodes.filter((n) => n.metadata?.labels?.[label] === 'true').length;
    expect(labelled('master')).to.equal(1);
    expect(labelled('worker')).to.equal(2);
  });

  it('runs the probe on both workers with a shared volume', async () => {
    await applyManifests(kube, probeWorkload(await probeImage()));
    await waitFor(deploymentReady(kube, namespace, 'probe', 2), { within: 3 * 60_000 });
    pods = (await listPods(kube, namespace, 'app=probe')).map((p) => ({
      pod: p.metadata?.name ?? '',
      node: p.spec?.nodeName ?? '',
      ip: p.status?.podIP ?? '',
    }));
    expect(new Set(pods.map((p) => p.node)).size, 'pods on distinct workers').to.equal(2);
  });

  it('routes pod-to-pod traffic across the two workers', async () => {
    const [a, b] = pods as [Identity, Identity];
    const answer = JSON.parse(await podGet(namespace, a.pod, `/fetch?url=http://${b.ip}:8080/whoami`)) as Identity;
    expect(answer.pod).to.equal(b.pod);
    expect(answer.node).to.not.equal(a.node);
  });

  it('answers on the ClusterIP Service and resolves it through cluster DNS', async () => {
    const [a] = pods as [Identity];
    const resolved = JSON.parse(await podGet(namespace, a.pod, `/resolve?name=probe.${namespace}.svc.cluster.local`)) as {
      addresses: string[];
    };
    const service = await kube.core.readNamespacedService({ name: 'probe', namespace });
    expect(resolved.addresses).to.include(service.spec?.clusterIP);
    const viaService = JSON.parse(await podGet(namespace, a.pod, `/fetch?url=http://probe.${namespace}/whoami`)) as Identity;
    expect(pods.map((p) => p.pod)).to.include(viaService.pod);
  });

  it('shares the ReadWriteMany volume between the workers', async () => {
    const [a, b] = pods as [Identity, Identity];
    const text = `written-by-${a.pod}-${Date.now()}`;
    await podGet(namespace, a.pod, `/files/shared.txt?write=${encodeURIComponent(text)}`);
    expect(await podGet(namespace, b.pod, '/files/shared.txt')).to.equal(text);
  });

  it('keeps each of two clients on its own replica through Traefik (20 requests each)', async () => {
    // Traefik picks up the second endpoint a moment after it is Ready.
    await waitFor(
      {
        what: 'requests without a cookie to reach both probe replicas through Traefik',
        check: async () => {
          const spread = new Set<string>();
          for (let i = 0; i < 6; i++) spread.add((await whoami()).identity.pod);
          return { ok: spread.size === 2, observed: `${spread.size} replica(s) answered` };
        },
      },
      { within: 60_000 },
    );
    const clients = await Promise.all([stickyClient(), stickyClient()]);
    for (const seen of clients) expect([...seen], 'one replica per client').to.have.length(1);
  });

  it('holds a websocket through Traefik for 60 seconds', async () => {
    const ws = new WebSocket(`${ingress.replace('http', 'ws')}/ws`);
    const messages: string[] = [];
    ws.on('message', (data: Buffer) => messages.push(data.toString()));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    for (let second = 0; second < 60; second += 10) {
      await delay(10_000);
      ws.send(`ping-${second}`);
    }
    await delay(1000);
    expect(ws.readyState, 'socket still open after 60 s').to.equal(WebSocket.OPEN);
    expect(messages.filter((m) => m.startsWith('ping-'))).to.have.length(6);
    ws.close();
  });

  it('runs its add-ons in their own namespace', async () => {
    await waitFor(deploymentReady(kube, addonsNamespace, 'traefik', 1), { within: 10_000 });
  });
});

describe('offline kind cluster teardown', function () {
  this.timeout(5 * 60_000);
  it('leaves no container, network or volume after cluster down', async () => {
    expect(await leftovers()).to.deep.equal([]);
  });
});

async function whoami(cookie?: string): Promise<{ identity: Identity; cookie?: string }> {
  const response = await fetch(`${ingress}/whoami`, { headers: cookie ? { cookie } : {} });
  expect(response.status).to.equal(200);
  const set = response.headers.get('set-cookie') ?? undefined;
  const value = set?.split(';')[0];
  return { identity: (await response.json()) as Identity, cookie: value?.startsWith(affinityCookie) ? value : cookie };
}

async function stickyClient(): Promise<Set<string>> {
  const seen = new Set<string>();
  let cookie: string | undefined;
  for (let i = 0; i < 20; i++) {
    const answer = await whoami(cookie);
    cookie = answer.cookie;
    seen.add(answer.identity.pod);
  }
  expect(cookie, 'Traefik set the affinity cookie').to.be.a('string');
  return seen;
}
