import { expect } from 'chai';
import { clusterDownCommand, DEFAULTS } from './defaults.ts';

describe('config/defaults', () => {
  it('spells out the cluster name in the removal hint unless it is the default', () => {
    expect(clusterDownCommand(DEFAULTS.name)).to.equal('npx mip-verify cluster down');
    expect(clusterDownCommand('shot')).to.equal('npx mip-verify cluster down --name shot');
  });
});
