import { expect } from 'chai';
import { formatConfig } from './print.ts';
import { resolveConfig } from './resolve.ts';

describe('config/print', () => {
  it('prints one line per setting, with the defaults spelled out', () => {
    const config = resolveConfig({ suite: 'smoke' }, { MIP_VERIFY_CACHE: '/cache' }, undefined, { cwd: '/p' });
    const lines = formatConfig(config);
    expect(lines[0]).to.equal('  suites        smoke');
    expect(lines).to.include("  cluster       kind 'mip-verify' (disposable), 2 worker nodes");
    expect(lines).to.include('  ingress       http://127.0.0.1:18080');
    expect(lines).to.include('  recovery SLO  5m (floor 1m)');
    expect(lines).to.include('  timeouts      provision 10m, deploy 5m, ready 5m, workflow 5m, chaos 10m, load 5m, cleanup 2m');
    expect(lines.every((line) => !line.includes('\n'))).to.equal(true);
  });

  it('shows the kubeconfig path of an existing cluster, never its contents', () => {
    const config = resolveConfig({ cluster: 'existing', kubeconfig: '/k/config', suite: 'smoke' }, {}, undefined, {
      cwd: '/p',
      readable: () => true,
    });
    const text = formatConfig(config).join('\n');
    expect(text).to.contain('kubeconfig    /k/config');
    expect(text).to.contain('existing, context the current context');
    expect(text).not.to.match(/client-key|token|password/i);
  });
});
