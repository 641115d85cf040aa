import { expect } from 'chai';
import { authenticationSlip } from './quirks.ts';

const configMap = (value: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'mip-config' },
  data: { 'keycloak.AUTHENTICATION': value },
});

describe('stack/mip/quirks', () => {
  it('sees the web chart authenticating although its values switch Keycloak off', () => {
    expect(authenticationSlip([configMap('1')], { keycloak: { enabled: false } })).to.equal(true);
  });

  it('sees nothing when the chart renders what the values say, or Keycloak is on', () => {
    expect(authenticationSlip([configMap('0')], { keycloak: { enabled: false } })).to.equal(false);
    expect(authenticationSlip([configMap('1')], { keycloak: { enabled: true } })).to.equal(false);
    expect(authenticationSlip([], { keycloak: { enabled: false } })).to.equal(false);
  });
});
