import { expect } from 'chai';
import { chooseRoute, hostsInRule, stackRoutes, type ServedRoutes } from './routes.ts';

const traefikOnly: ServedRoutes = { ingressClasses: ['traefik'], hasDefaultClass: true, ingressRoutes: true };

describe('stack routes', () => {
  it('reads the host names of Traefik rules, with backticks or quotes, in order', () => {
    expect(hostsInRule('(Host(`a.example.de`) || Host(`a.example.org`)) && PathPrefix(`/`)')).to.deep.equal([
      'a.example.de',
      'a.example.org',
    ]);
    expect(hostsInRule('Host("b.example", "c.example")')).to.deep.equal(['b.example', 'c.example']);
    expect(hostsInRule('PathPrefix(`/`)')).to.deep.equal([]);
    expect(hostsInRule('HostRegexp(`.+`)')).to.deep.equal([]);
  });

  it('lists Ingresses with their class and hosts, and IngressRoutes with the hosts of their rules', () => {
    const routes = stackRoutes([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web' },
        spec: { ingressClassName: 'nginx', rules: [{ host: 'x.example' }, { host: 'x.example' }] },
      },
      {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'IngressRoute',
        metadata: { name: 'web-traefik' },
        spec: { routes: [{ match: 'Host(`y.example`)' }] },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } },
    ]);
    expect(routes).to.deep.equal([
      { kind: 'Ingress', name: 'web', hosts: ['x.example'], className: 'nginx' },
      { kind: 'IngressRoute', name: 'web-traefik', hosts: ['y.example'] },
    ]);
  });

  it('chooses a served route, preferring one that answers any host, and says why the others are not served', () => {
    const any = { kind: 'Ingress' as const, name: 'plain', hosts: [] };
    const hosted = { kind: 'IngressRoute' as const, name: 'hosted', hosts: ['y.example'] };
    const nginx = { kind: 'Ingress' as const, name: 'web', hosts: ['x.example'], className: 'nginx' };
    expect(chooseRoute([hosted, any], traefikOnly)).to.deep.equal({ route: any, unserved: [] });
    expect(chooseRoute([nginx, hosted], traefikOnly)).to.deep.equal({
      route: hosted,
      host: 'y.example',
      unserved: ['Ingress web is not served: its class nginx is not an IngressClass of the cluster (classes: traefik)'],
    });
    const bare: ServedRoutes = { ingressClasses: [], hasDefaultClass: false, ingressRoutes: false };
    expect(chooseRoute([any, hosted], bare).unserved).to.deep.equal([
      'Ingress plain names no ingressClassName and the cluster has no default IngressClass',
      'IngressRoute hosted is not served: the cluster has no Traefik IngressRoute resource',
    ]);
    expect(chooseRoute([any, hosted], bare).route).to.equal(undefined);
  });
});
