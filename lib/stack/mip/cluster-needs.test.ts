import { expect } from 'chai';
import { ConfigError } from '../../errors.ts';
import type { ClusterFacts } from '../cluster-fit.ts';
import type { ServedRoutes } from '../routes.ts';
import { DEFAULT_PUBLIC_HOST, harnessValues, labelled, workerNodes, type ValuesContext } from './cluster-needs.ts';
import type { WorkerSet } from './layout.ts';

const facts: ClusterFacts = {
  storageClasses: [{ name: 'standard', isDefault: true }],
  nodes: [
    { name: 'cp', labels: { master: 'true', 'node-role.kubernetes.io/control-plane': '' } },
    { name: 'w1', labels: { worker: 'true', zone: 'a' } },
    { name: 'w2', labels: { worker: 'true', zone: 'b' } },
    { name: 'w3', labels: { worker: 'false' } },
  ],
};
const served: ServedRoutes = { ingressClasses: ['nginx', 'traefik'], hasDefaultClass: false, ingressRoutes: false };
const ctx: ValuesContext = { facts, served };

const workers = (replicas: number, nodeSelector: Record<string, string> = { worker: 'true' }): WorkerSet => ({
  name: 'StatefulSet/exaflow-localworker',
  replicas,
  nodeSelector,
  hostPath: '/opt/exaflow/localworker/csvs',
  claim: false,
});

describe('stack/mip/cluster-needs', () => {
  it('runs Exaflow unmanaged with one local worker per node labelled worker=true', () => {
    expect(harnessValues('exaflow', {}, ctx)).to.deep.equal({ managed_cluster: false, localnodes: 2 });
    expect(harnessValues('exaflow', {}, { ...ctx, facts: { ...facts, nodes: [] } })).to.deep.equal({
      managed_cluster: false,
      localnodes: 1,
    });
  });

  it("puts the Exaflow chart's objects in the run's namespace, and gives it images built from its checkout with Flower off, unless the user's values say otherwise", () => {
    const images = { exaflow_images: { repository: 'mip-verify.local', version: 'abc' } };
    expect(harnessValues('exaflow', {}, { ...ctx, namespace: 'mip-verify-mip', engineImages: images })).to.deep.equal({
      managed_cluster: false,
      localnodes: 2,
      namespace: 'mip-verify-mip',
      exaflow_images: { repository: 'mip-verify.local', version: 'abc' },
      flower: { enabled: false },
    });
    expect(
      harnessValues(
        'exaflow',
        { namespace: 'exaflow', flower: { enabled: true } },
        { ...ctx, namespace: 'mip-verify-mip', engineImages: images },
      ),
    ).to.deep.equal({
      managed_cluster: false,
      localnodes: 2,
      exaflow_images: { repository: 'mip-verify.local', version: 'abc' },
    });
    expect(harnessValues('web', {}, { ...ctx, namespace: 'mip-verify-mip', engineImages: images })).to.not.have.property('namespace');
  });

  it("runs the web chart unmanaged over plain HTTP, without Keycloak, on the cluster's first ingress class", () => {
    expect(harnessValues('web', {}, ctx)).to.deep.equal({
      cluster: { managed: false },
      network: { publicHost: DEFAULT_PUBLIC_HOST, externalProtocol: 'http', publicProtocol: 'http' },
      'platform-ui': { ingress: { className: 'nginx', certManagerClusterIssuer: '' } },
      keycloak: { enabled: false },
    });
    expect(classNameOf(harnessValues('web', {}, { ...ctx, served: { ...served, ingressClasses: [] } }))).to.equal('');
  });

  it("leaves out every value the user's files set, however they set it", () => {
    expect(harnessValues('exaflow', { localnodes: 5 }, ctx)).to.deep.equal({ managed_cluster: false });
    expect(harnessValues('exaflow', { managed_cluster: true, localnodes: 1 }, ctx)).to.deep.equal({});
    const web = harnessValues(
      'web',
      { network: { publicHost: 'mip.example.org' }, 'platform-ui': { ingress: { className: 'haproxy' } }, keycloak: { enabled: true } },
      ctx,
    );
    expect(web).to.deep.equal({
      cluster: { managed: false },
      network: { externalProtocol: 'http', publicProtocol: 'http' },
      'platform-ui': { ingress: { certManagerClusterIssuer: '' } },
    });
  });

  it('picks the nodes carrying every label of a selector, and every node for an empty one', () => {
    expect(labelled(facts.nodes, { worker: 'true' }).map((n) => n.name)).to.deep.equal(['w1', 'w2']);
    expect(labelled(facts.nodes, { worker: 'true', zone: 'b' }).map((n) => n.name)).to.deep.equal(['w2']);
    expect(labelled(facts.nodes, { worker: 'maybe' })).to.deep.equal([]);
    expect(labelled(facts.nodes, {})).to.have.length(4);
  });

  it('gives the labelled nodes when there are at least as many as local workers', () => {
    expect(workerNodes(workers(2), facts, 'kind-mip')).to.deep.equal(['w1', 'w2']);
    expect(workerNodes(workers(1), facts, 'kind-mip')).to.deep.equal(['w1', 'w2']);
  });

  it('refuses too few labelled nodes, naming the replicas, the selector, the nodes and how to fix it', () => {
    let error: unknown;
    try {
      workerNodes(workers(3), facts, 'kind-mip');
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).message).to.equal(
      'the Exaflow chart runs 3 local workers, one per node labelled worker=true, and cluster kind-mip has 2 such node(s) (w1, w2)',
    );
    expect((error as ConfigError).hint).to.equal(
      'lower localnodes in the Exaflow values, or label more nodes: kubectl label node <name> worker=true',
    );
    expect(() => workerNodes(workers(1, { worker: 'true', zone: 'c' }), facts, 'prod')).to.throw(
      ConfigError,
      'the Exaflow chart runs 1 local workers, one per node labelled worker=true,zone=c, and cluster prod has 0 such node(s)',
    );
  });
});

function classNameOf(values: Record<string, unknown>): unknown {
  const ui = values['platform-ui'] as { ingress?: { className?: unknown } } | undefined;
  return ui?.ingress?.className;
}
