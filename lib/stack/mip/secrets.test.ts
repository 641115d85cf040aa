import { ApiException, type V1Secret } from '@kubernetes/client-node';
import { expect } from 'chai';
import { createSecrets, secretValue } from './secrets.ts';

const signal = new AbortController().signal;

/** A core API over an in-memory set of Secrets; `existing` names answer 409, `failing` ones 403. */
function fakeCore(
  existing: readonly string[] = [],
  failing: readonly string[] = [],
): { kube: never; created: { namespace: string; body: V1Secret }[] } {
  const created: { namespace: string; body: V1Secret }[] = [];
  const core = {
    createNamespacedSecret: (request: { namespace: string; body: V1Secret }) => {
      const name = request.body.metadata?.name ?? '';
      if (existing.includes(name)) return Promise.reject(new ApiException(409, 'AlreadyExists', {}, {}));
      if (failing.includes(name)) return Promise.reject(new ApiException(403, 'Forbidden', {}, {}));
      created.push(request);
      return Promise.resolve(request.body);
    },
  };
  return { kube: { core } as never, created };
}

const WANTED = new Map([
  [
    'mip-secret',
    new Set(['platform-backend-db.PLATFORM_DB_USER', 'platform-backend-db.DB_ADMIN_PASSWORD', 'platform-backend-db.DB_ADMIN_USER']),
  ],
  ['keycloak-credentials', new Set(['client-secret', 'client-id'])],
  ['backend-env', new Set<string>()],
]);

describe('stack/mip/secrets', () => {
  it('derives user names from user keys, without the db prefix or suffix', () => {
    expect(secretValue('platform-backend-db.DB_ADMIN_USER')).to.equal('admin');
    expect(secretValue('platform-backend-db.PLATFORM_DB_USER')).to.equal('platform');
    expect(secretValue('portalbackend-db.PORTAL_DB_USER')).to.equal('portal');
    expect(secretValue('keycloak-db.POSTGRES_USER')).to.equal('postgres');
    expect(secretValue('USER')).to.equal('mip');
  });

  it('gives mip-verify as a client id', () => {
    expect(secretValue('client-id')).to.equal('mip-verify');
    expect(secretValue('keycloak.CLIENT_ID')).to.equal('mip-verify');
  });

  it('gives any other key a random password, different on each call and never the key itself', () => {
    for (const key of ['platform-backend-db.DB_ADMIN_PASSWORD', 'client-secret', 'token']) {
      const [a, b] = [secretValue(key), secretValue(key)];
      expect(a, key).to.not.equal(b);
      expect(a, key).to.match(/^[A-Za-z0-9_-]{24}$/);
      expect(a.toLowerCase(), key).to.not.include(key.split('.').at(-1)?.toLowerCase());
    }
  });

  it("creates each wanted Secret in the namespace with a value per key, labelled as the harness's", async () => {
    const { kube, created } = fakeCore();
    await createSecrets(kube, 'mip-verify-mip', WANTED, signal);
    expect(created.map((c) => [c.namespace, c.body.metadata?.name, Object.keys(c.body.stringData ?? {})])).to.deep.equal([
      [
        'mip-verify-mip',
        'mip-secret',
        ['platform-backend-db.DB_ADMIN_PASSWORD', 'platform-backend-db.DB_ADMIN_USER', 'platform-backend-db.PLATFORM_DB_USER'],
      ],
      ['mip-verify-mip', 'keycloak-credentials', ['client-id', 'client-secret']],
      ['mip-verify-mip', 'backend-env', []],
    ]);
    expect(created[0]?.body.metadata?.labels).to.deep.equal({ 'app.kubernetes.io/managed-by': 'mip-verify' });
    expect(created[0]?.body.stringData?.['platform-backend-db.DB_ADMIN_USER']).to.equal('admin');
    expect(created[1]?.body.stringData?.['client-id']).to.equal('mip-verify');
  });

  it('says which Secrets it created and which it kept, naming keys but never a value', async () => {
    const { kube, created } = fakeCore(['keycloak-credentials']);
    const lines = await createSecrets(kube, 'mip-verify-mip', WANTED, signal);
    expect(lines).to.deep.equal([
      'created Secret mip-secret (keys platform-backend-db.DB_ADMIN_PASSWORD, platform-backend-db.DB_ADMIN_USER, platform-backend-db.PLATFORM_DB_USER), which the charts read but do not create',
      'Secret keycloak-credentials already exists in mip-verify-mip: kept as it is',
      'created Secret backend-env (keys none), which the charts read but do not create',
    ]);
    // user names such as 'platform' are part of their key's name; the passwords must not show
    const passwords = created.flatMap((c) => Object.entries(c.body.stringData ?? {})).filter(([key]) => key.endsWith('PASSWORD'));
    expect(passwords).to.have.length(1);
    for (const [, value] of passwords) expect(lines.join('\n')).to.not.include(value);
  });

  it('passes on an API error other than a conflict', async () => {
    const { kube } = fakeCore([], ['mip-secret']);
    const error: unknown = await createSecrets(kube, 'mip-verify-mip', WANTED, signal).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ApiException).with.property('code', 403);
  });
});
