// The MIP stack as the suites see it: Exaflow's controller asked through the API server's service
// proxy (it has no route from outside; the proxy keeps traffic on 127.0.0.1) in the namespace its chart
// put it, the web backend through the ingress exactly as a browser reaches it, and the local worker pods
// found by their labels.
import type { V1Pod } from '@kubernetes/client-node';
import { ApiException } from '@kubernetes/client-node';
import { httpGet, httpPostJson } from '../http.ts';
import { describeApiError, isNotFound, requestOptions, type Kube } from '../k8s/client.ts';
import { jsonBodyOptions } from '../k8s/proxy-post.ts';
import { listPods } from '../k8s/objects.ts';
import type { Stack } from '../stack/types.ts';

/** The parts of the stack a suite addresses (labels and names of the Exaflow and MIP charts). */
export const MIP_LAYOUT = {
  /** Label selectors of the controller and the local workers. */
  controller: 'app=exaflow-controller',
  localWorker: 'nodeType=localworker',
  /** The controller's Service. */
  controllerService: 'exaflow-controller-service',
  /** Backend paths under the web app's ingress. */
  health: '/services/actuator/health',
  experiments: '/services/experiments',
} as const;

/** An experiment as the backend returns it. */
export interface Experiment {
  /** Its id. */
  uuid: string;
  /** `pending`, `success` or `error`. */
  status: string;
  /** `[{data, type}]` once finished. */
  result?: { data: unknown; type: string }[] | null;
  /** ISO times. */
  created?: string;
  finished?: string | null;
}

/** The controller's answer to `POST /algorithms/<name>`: the result, or its status and words. */
export type AlgorithmAnswer = { ok: true; result: unknown } | { ok: false; status: number; text: string };

/** What the suites ask of the MIP stack. */
export interface MipDriver {
  /** The namespace of Exaflow's objects: where its controller Service is (the chart's `namespace` value). */
  namespace(signal: AbortSignal): Promise<string>;
  /** `POST /algorithms/<name>` on the controller, which answers with the result itself (no web backend involved). */
  runAlgorithm(name: string, body: unknown, signal: AbortSignal): Promise<AlgorithmAnswer>;
  /** GETs a controller path and parses the JSON answer. */
  controller<T>(path: string, signal: AbortSignal): Promise<T>;
  /** `GET /healthcheck` of the controller: ok, or the controller's words. */
  controllerHealth(signal: AbortSignal): Promise<{ ok: boolean; text: string }>;
  /** Data model → dataset → worker id, as the controller reports it now. */
  datasetLocations(signal: AbortSignal): Promise<Record<string, Record<string, string>>>;
  /** Submits an experiment through the ingress (`POST /services/experiments`). */
  submit(body: unknown, signal: AbortSignal): Promise<Experiment>;
  /** Reads an experiment through the ingress. */
  experiment(uuid: string, signal: AbortSignal): Promise<Experiment>;
  /** The local worker pods (all, Ready or not). */
  localWorkers(signal: AbortSignal): Promise<V1Pod[]>;
}

/** The driver of a deployed MIP stack. */
export function mipDriver(stack: Stack, kube: Kube): MipDriver {
  const proxy = controllerProxy(stack, kube);
  const controller = async <T>(path: string, signal: AbortSignal): Promise<T> => {
    const answer = await proxy.get(path, signal);
    return typeof answer === 'string' ? parseJson<T>(answer, `the controller's ${path}`) : (answer as T);
  };
  const backend = ingressBackend(stack);
  return {
    namespace: proxy.namespace,
    runAlgorithm: (name, body, signal) => runAlgorithm(proxy, name, body, signal),
    controller,
    controllerHealth: (signal) => controllerHealth(proxy, signal),
    datasetLocations: (signal) => controller('/datasets_locations', signal),
    submit: (body, signal) => backend('POST', MIP_LAYOUT.experiments, signal, body),
    experiment: (uuid, signal) => backend('GET', `${MIP_LAYOUT.experiments}/${encodeURIComponent(uuid)}`, signal),
    localWorkers: async (signal) => listPods(kube, await proxy.namespace(signal), MIP_LAYOUT.localWorker, { signal }),
  };
}

/** The controller Service through the API server's service proxy. */
interface ControllerProxy {
  readonly kube: Kube;
  /** The controller's namespace, looked up once. */
  readonly namespace: (signal: AbortSignal) => Promise<string>;
  /** What a proxy request to a controller path names. */
  readonly target: (path: string, signal: AbortSignal) => Promise<{ name: string; namespace: string; path: string }>;
  /** GETs a controller path (see controllerProxy for the answer's type). */
  readonly get: (path: string, signal: AbortSignal) => Promise<unknown>;
}

function controllerProxy(stack: Stack, kube: Kube): ControllerProxy {
  let found: string | undefined;
  const namespace = async (signal: AbortSignal): Promise<string> => (found ??= await controllerNamespace(kube, stack, signal));
  const target = async (path: string, signal: AbortSignal): Promise<{ name: string; namespace: string; path: string }> => ({
    name: MIP_LAYOUT.controllerService,
    namespace: await namespace(signal),
    path: path.replace(/^\//, ''),
  });
  // The client parses a JSON answer itself (typed `string` all the same) and hands other answers over as text.
  const get = async (path: string, signal: AbortSignal): Promise<unknown> =>
    kube.core.connectGetNamespacedServiceProxyWithPath(await target(path, signal), requestOptions(signal));
  return { kube, namespace, target, get };
}

async function runAlgorithm(proxy: ControllerProxy, name: string, body: unknown, signal: AbortSignal): Promise<AlgorithmAnswer> {
  try {
    const answer: unknown = await proxy.kube.core.connectPostNamespacedServiceProxyWithPath(
      await proxy.target(`/algorithms/${encodeURIComponent(name)}`, signal),
      jsonBodyOptions(body, signal),
    );
    return { ok: true, result: typeof answer === 'string' ? parseJson<unknown>(answer, `the controller's answer to ${name}`) : answer };
  } catch (error) {
    if (signal.aborted || !(error instanceof ApiException)) throw error;
    return {
      ok: false,
      status: error.code,
      text: String(typeof error.body === 'string' ? error.body : JSON.stringify(error.body)).slice(0, 400),
    };
  }
}

async function controllerHealth(proxy: ControllerProxy, signal: AbortSignal): Promise<{ ok: boolean; text: string }> {
  try {
    const answer = await proxy.get('/healthcheck', signal);
    return { ok: true, text: typeof answer === 'string' ? answer : JSON.stringify(answer) };
  } catch (error) {
    if (signal.aborted) throw error;
    return {
      ok: false,
      text: error instanceof ApiException ? `HTTP ${error.code}: ${String(error.body).slice(0, 300)}` : describeApiError(error),
    };
  }
}

/** Experiments through the ingress, as a browser reaches the web backend. */
function ingressBackend(stack: Stack): (method: 'GET' | 'POST', path: string, signal: AbortSignal, body?: unknown) => Promise<Experiment> {
  const host = stack.host ? { host: stack.host } : {};
  return async (method, path, signal, body) => {
    const url = stack.url(path);
    const reply =
      method === 'GET' ? await httpGet(url, { signal, readBody: true, ...host }) : await httpPostJson(url, body, { signal, ...host });
    if (reply.status >= 300)
      throw new Error(`${method} ${path} through the ingress answered HTTP ${reply.status}: ${reply.body.slice(0, 300)}`);
    return parseJson<Experiment>(reply.body, `${method} ${path}`);
  };
}

/** The first of the stack's namespaces holding the controller Service (the run's namespace when none does yet). */
async function controllerNamespace(kube: Kube, stack: Stack, signal: AbortSignal): Promise<string> {
  const namespaces = stack.namespaces ?? [stack.spec.namespace];
  for (const namespace of namespaces) {
    const service = await kube.core
      .readNamespacedService({ name: MIP_LAYOUT.controllerService, namespace }, requestOptions(signal))
      .catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
    if (service) return namespace;
  }
  return stack.spec.namespace;
}

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${what} is not JSON: ${text.slice(0, 200)}`);
  }
}
