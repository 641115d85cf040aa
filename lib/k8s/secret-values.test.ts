import { expect } from 'chai';
import { secretValues } from './secret-values.ts';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('k8s/secret-values', () => {
  it('masks passwords, tokens and long random values, as stored and decoded', () => {
    const values = secretValues({
      data: { DB_PASSWORD: b64('pw'), api: b64('canary-5e1f0c27d9a04b6b'), 'tls.key': b64('k') },
      stringData: { token: 'abc', DB_USER_PASSWORD: 'mip' },
    });
    expect(values).to.include.members([b64('pw'), 'pw', b64('canary-5e1f0c27d9a04b6b'), 'canary-5e1f0c27d9a04b6b', 'k', 'abc', 'mip']);
  });

  it('leaves out what names things: client ids, user names, namespaces, short identifiers', () => {
    const values = secretValues({
      data: { namespace: b64('mip-verify-mip'), 'ca.crt': b64('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----') },
      stringData: {
        KEYCLOAK_CLIENT_ID: 'mip-verify',
        DB_USER: 'portal',
        mode: 'production',
        realm: 'MIP',
        KEYCLOAK_AUTH_URL: 'http://keycloak/auth',
      },
    });
    expect(values.join('\n')).to.not.match(/^(mip-verify|mip-verify-mip|portal|production|MIP|http:\/\/keycloak\/auth)$/m);
  });
});
