// How a stack's web entry point is reached: its Ingresses and Traefik IngressRoutes, which of them the
// cluster serves, and the host name they match. Requests still go to the ingress address on this machine;
// a route that matches a host name only answers when the request carries that name (Host header, or a
// browser told to resolve the name to the ingress address).

import { ConfigError } from '../errors.ts';
import { list, record, type Manifest } from './manifest-fields.ts';

/** One route object of a stack. */
export interface StackRoute {
  /** `Ingress` or `IngressRoute`. */
  readonly kind: 'Ingress' | 'IngressRoute';
  /** Object name. */
  readonly name: string;
  /** Host names it matches, in order; empty when it matches any host. */
  readonly hosts: readonly string[];
  /** The Ingress's `ingressClassName`, when it names one. */
  readonly className?: string;
}

/** What the cluster can serve. */
export interface ServedRoutes {
  /** IngressClass names of the cluster. */
  readonly ingressClasses: readonly string[];
  /** Whether one of them is the default (serves Ingresses without a class). */
  readonly hasDefaultClass: boolean;
  /** Whether the cluster has Traefik's IngressRoute resource. */
  readonly ingressRoutes: boolean;
}

/** The route the checks use, and a sentence per route the cluster does not serve. */
export interface RouteChoice {
  /** The route the checks go through; undefined when the stack has none the cluster serves. */
  readonly route?: StackRoute;
  /** Host name to send; undefined when the route matches any host. */
  readonly host?: string;
  /** One sentence per route the cluster does not serve, naming why. */
  readonly unserved: readonly string[];
}

/** The Ingresses and IngressRoutes among rendered objects. */
export function stackRoutes(docs: readonly Manifest[]): StackRoute[] {
  const routes: StackRoute[] = [];
  for (const doc of docs) {
    const name = nameOf(doc);
    const spec = record(doc.spec);
    const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : '';
    if (doc.kind === 'Ingress' && apiVersion.startsWith('networking.k8s.io/')) {
      const hosts = list(spec.rules)
        .map((rule) => record(rule).host)
        .filter((host): host is string => typeof host === 'string');
      const className = typeof spec.ingressClassName === 'string' ? spec.ingressClassName : undefined;
      routes.push({ kind: 'Ingress', name, hosts: unique(hosts), ...(className ? { className } : {}) });
    }
    if (doc.kind === 'IngressRoute' && apiVersion.startsWith('traefik.')) {
      const matches = list(spec.routes)
        .map((route) => record(route).match)
        .filter((m): m is string => typeof m === 'string');
      routes.push({ kind: 'IngressRoute', name, hosts: unique(matches.flatMap(hostsInRule)) });
    }
  }
  return routes;
}

/** The host names of a Traefik rule: each argument of `Host(...)` (backticks or quotes), in order. */
export function hostsInRule(rule: string): string[] {
  const hosts: string[] = [];
  for (const call of rule.matchAll(/\bHost\(([^)]*)\)/g)) {
    for (const quoted of (call[1] ?? '').matchAll(/[`"]([^`"]+)[`"]/g)) if (quoted[1]) hosts.push(quoted[1]);
  }
  return hosts;
}

/** Why the cluster does not serve a route; undefined when it does. */
export function whyUnserved(route: StackRoute, served: ServedRoutes): string | undefined {
  if (route.kind === 'IngressRoute') {
    return served.ingressRoutes ? undefined : `IngressRoute ${route.name} is not served: the cluster has no Traefik IngressRoute resource`;
  }
  if (route.className === undefined) {
    return served.hasDefaultClass
      ? undefined
      : `Ingress ${route.name} names no ingressClassName and the cluster has no default IngressClass`;
  }
  if (served.ingressClasses.includes(route.className)) return undefined;
  const classes = served.ingressClasses.join(', ') || 'none';
  return `Ingress ${route.name} is not served: its class ${route.className} is not an IngressClass of the cluster (classes: ${classes})`;
}

/** The first route the cluster serves, preferring one without a host, then its first host name. */
export function chooseRoute(routes: readonly StackRoute[], served: ServedRoutes): RouteChoice {
  const unserved: string[] = [];
  const servable: StackRoute[] = [];
  for (const route of routes) {
    const why = whyUnserved(route, served);
    if (why) unserved.push(why);
    else servable.push(route);
  }
  const route = servable.find((r) => r.hosts.length === 0) ?? servable[0];
  const host = route?.hosts[0];
  return { ...(route ? { route } : {}), ...(host ? { host } : {}), unserved };
}

function nameOf(doc: Manifest): string {
  const name = record(doc.metadata).name;
  return typeof name === 'string' ? name : '(unnamed)';
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Where the route choice is told: notes go into the report, progress only onto the terminal. */
export interface RouteTell {
  readonly note: (line: string) => void;
  readonly progress: (line: string) => void;
}

/**
 * The route the checks go through among `routes`, telling each one the cluster does not serve and the one
 * chosen; ConfigError naming why each is unserved when the cluster serves none of them.
 */
export function reachRoute(
  routes: readonly StackRoute[],
  served: ServedRoutes,
  cluster: { name: string; ingressUrl: string },
  tell: RouteTell,
): RouteChoice {
  const choice = chooseRoute(routes, served);
  for (const line of choice.unserved) tell.note(line);
  if (!choice.route) {
    throw new ConfigError(
      `cluster ${cluster.name} serves none of the stack's routes: ${choice.unserved.join('; ')}`,
      'install an ingress controller for that class, or change the route (its ingress class)',
    );
  }
  const host = choice.host ? ` with Host ${choice.host} (sent to ${cluster.ingressUrl})` : '';
  // Worth a note in the report only when the way in is not the plain one.
  const say = choice.host || choice.unserved.length > 0 ? tell.note : tell.progress;
  say(`checks reach the stack through ${choice.route.kind} ${choice.route.name}${host}`);
  return choice;
}
