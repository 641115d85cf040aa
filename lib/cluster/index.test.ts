import { expect } from 'chai';
import { createDeployer } from '../stack/index.ts';
import { createProvider } from './index.ts';
import { nodeRoles } from './kube-nodes.ts';

describe('provider and deployer choice', () => {
  const env = { PATH: '/nowhere', MIP_VERIFY_CACHE: '/tmp/mip-verify-test-cache' };

  it('picks the provider named by the configuration', () => {
    const kind = createProvider({ provider: 'kind', name: 'mip-verify', httpPort: 18080, sharedDir: '/tmp/shared', workers: 2 }, { env });
    const existing = createProvider({ provider: 'existing', kubeconfig: '/tmp/kc' }, { env });
    const microk8s = createProvider({ provider: 'microk8s', hosts: [] }, { env });
    expect([kind.name, existing.name, microk8s.name]).to.deep.equal(['kind', 'existing', 'microk8s']);
  });

  it('picks the deployer for the kind of source', () => {
    expect(createDeployer('kustomize', { env }).kind).to.equal('kustomize');
    expect(createDeployer('helm', { env }).kind).to.equal('helm');
  });

  it('derives node roles from node-role labels and the MIP worker label', () => {
    expect(nodeRoles({ 'node-role.kubernetes.io/control-plane': '', master: 'true' })).to.deep.equal(['control-plane']);
    expect(nodeRoles({ worker: 'true' })).to.deep.equal(['worker']);
    expect(nodeRoles({})).to.deep.equal([]);
  });
});
