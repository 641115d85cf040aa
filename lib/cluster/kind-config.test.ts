import { expect } from 'chai';
import { parse } from 'yaml';
import { ConfigError } from '../errors.ts';
import { renderKindConfig, sharedMountPath, type KindClusterConfig } from './kind-config.ts';

const render = (workers = 2, httpPort = 18080): KindClusterConfig =>
  parse(renderKindConfig({ workers, httpPort, sharedDir: '/srv/shared' })) as KindClusterConfig;

describe('kind config', () => {
  it('is a v1alpha4 Cluster with one control plane and two workers, API on loopback', () => {
    const config = render();
    expect(config.kind).to.equal('Cluster');
    expect(config.apiVersion).to.equal('kind.x-k8s.io/v1alpha4');
    expect(config.networking.apiServerAddress).to.equal('127.0.0.1');
    expect(config.nodes.map((n) => n.role)).to.deep.equal(['control-plane', 'worker', 'worker']);
  });

  it('maps HTTP and HTTPS to the control plane on 127.0.0.1 only', () => {
    const [controlPlane, ...workers] = render(2, 18080).nodes;
    expect(controlPlane?.extraPortMappings).to.deep.equal([
      { containerPort: 80, hostPort: 18080, listenAddress: '127.0.0.1', protocol: 'TCP' },
      { containerPort: 443, hostPort: 18081, listenAddress: '127.0.0.1', protocol: 'TCP' },
    ]);
    for (const worker of workers) expect(worker.extraPortMappings).to.equal(undefined);
  });

  it('labels the control plane master and ingress-ready, the workers worker, as strings', () => {
    const text = renderKindConfig({ workers: 1, httpPort: 18080, sharedDir: '/srv/shared' });
    const [controlPlane, worker] = (parse(text) as KindClusterConfig).nodes;
    expect(controlPlane?.labels).to.deep.equal({ master: 'true', 'ingress-ready': 'true' });
    expect(worker?.labels).to.deep.equal({ worker: 'true' });
    expect(text).to.include('master: "true"');
  });

  it('mounts the shared host directory at /mnt/shared on every node', () => {
    for (const node of render(3).nodes) {
      expect(node.extraMounts).to.deep.equal([{ hostPath: '/srv/shared', containerPath: sharedMountPath }]);
    }
    expect(sharedMountPath).to.equal('/mnt/shared');
  });

  it('follows the configured worker count', () => {
    expect(render(0).nodes).to.have.length(1);
    expect(render(4).nodes.filter((n) => n.role === 'worker')).to.have.length(4);
  });

  it('rejects a port without room for HTTPS and a bad worker count, naming the value', () => {
    expect(() => render(2, 65535)).to.throw(ConfigError, /ingress port 65535/);
    expect(() => render(-1)).to.throw(ConfigError, /worker count -1/);
  });
});
