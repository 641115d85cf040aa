import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiException, HttpMethod, RequestContext } from '@kubernetes/client-node';
import { ConfigError } from '../errors.ts';
import { connect, describeApiError, isNotFound, requestOptions } from './client.ts';

const kubeconfig = (token: string): string => `apiVersion: v1
kind: Config
current-context: kind-mip
clusters:
- name: kind-mip
  cluster: { server: 'https://127.0.0.1:6443' }
- name: other
  cluster: { server: 'https://127.0.0.1:7443' }
contexts:
- name: kind-mip
  context: { cluster: kind-mip, user: admin }
- name: other
  context: { cluster: other, user: admin }
users:
- name: admin
  user: { token: ${token} }
`;

describe('connect', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-test-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('opens the current context, or the one named', async () => {
    const path = join(dir, 'config');
    await writeFile(path, kubeconfig('t0ken'));
    expect(connect(path).context).to.equal('kind-mip');
    const kube = connect(path, 'other');
    expect(kube.context).to.equal('other');
    expect(kube.config.getCurrentCluster()?.server).to.equal('https://127.0.0.1:7443');
    expect(kube.core).to.respondTo('readNode');
    expect(kube.apps).to.respondTo('readNamespacedDeployment');
  });

  it('names a missing context and lists the available ones', async () => {
    const path = join(dir, 'config');
    await writeFile(path, kubeconfig('t0ken'));
    try {
      connect(path, 'prod');
      expect.fail('connect should throw');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).message).to.equal(`Context "prod" is not in kubeconfig ${path}`);
      expect((error as ConfigError).hint).to.equal('Available contexts: kind-mip, other.');
    }
  });

  it('says a kubeconfig is missing or unreadable without quoting its contents', async () => {
    expect(() => connect(join(dir, 'absent'))).to.throw(ConfigError, 'does not exist');
    const path = join(dir, 'broken');
    await writeFile(path, 'users: [ { token: sup3r-secret\n');
    try {
      connect(path);
      expect.fail('connect should throw');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as Error).message).not.to.contain('sup3r-secret');
    }
  });
});

describe('API error helpers', () => {
  it('isNotFound recognises a 404 ApiException only', () => {
    expect(isNotFound(new ApiException(404, 'x', {}, {}))).to.equal(true);
    expect(isNotFound(new ApiException(403, 'x', {}, {}))).to.equal(false);
    expect(isNotFound(new Error('404'))).to.equal(false);
  });

  it('describeApiError keeps the Status message and drops the rest', () => {
    const forbidden = new ApiException(
      403,
      'long text with headers',
      { kind: 'Status', message: 'pods is forbidden: User "x" cannot list pods' },
      { authorization: 'Bearer t' },
    );
    expect(describeApiError(forbidden)).to.equal('HTTP 403: pods is forbidden: User "x" cannot list pods');
    expect(describeApiError(new ApiException(500, 'x', 'oops', {}))).to.equal('HTTP 500');
    expect(describeApiError(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }))).to.equal('ECONNREFUSED');
    expect(describeApiError(new Error('first\nsecond'))).to.equal('first');
  });

  it('requestOptions puts the signal on each request', async () => {
    const controller = new AbortController();
    const options = requestOptions(controller.signal);
    const middleware = options?.middleware?.[0];
    const context = new RequestContext('https://127.0.0.1:6443/api/v1/nodes', HttpMethod.GET);
    const out = await middleware?.pre(context).toPromise();
    expect(out?.getSignal()).to.equal(controller.signal);
    expect(requestOptions(undefined)).to.equal(undefined);
  });
});
