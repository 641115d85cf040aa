// The Kubernetes API for one kubeconfig context: the typed API groups the harness uses, request options that
// carry an AbortSignal, and the NotFound test. Kubeconfig contents are never logged or put in messages.
import {
  ApiException,
  ApiextensionsV1Api,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  Observable,
  StorageV1Api,
  type ConfigurationOptions,
  type ObservableMiddleware,
} from '@kubernetes/client-node';
import { ConfigError } from '../errors.ts';

/** The Kubernetes API of one cluster context. */
export interface Kube {
  /** The loaded kubeconfig, switched to `context`. */
  config: KubeConfig;
  /** Core group: pods, nodes, namespaces, events, logs. */
  core: CoreV1Api;
  /** Deployments, StatefulSets, DaemonSets. */
  apps: AppsV1Api;
  /** Jobs and CronJobs. */
  batch: BatchV1Api;
  /** Ingresses and IngressClasses. */
  networking: NetworkingV1Api;
  /** StorageClasses. */
  storage: StorageV1Api;
  /** CustomResourceDefinitions (whether a resource such as Traefik's IngressRoute exists). */
  extensions: ApiextensionsV1Api;
  /** The context in use. */
  context: string;
}

function loadConfig(kubeconfigPath: string): KubeConfig {
  const config = new KubeConfig();
  try {
    config.loadFromFile(kubeconfigPath);
  } catch (error) {
    // The parser's message can quote the file, which may hold credentials: report only the file system code.
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    const why = code === 'ENOENT' ? 'does not exist' : code ? `cannot be read (${code})` : 'is not a valid kubeconfig';
    throw new ConfigError(`Kubeconfig ${kubeconfigPath} ${why}`, 'Pass --kubeconfig with the path of a readable kubeconfig file.');
  }
  return config;
}

function selectContext(config: KubeConfig, kubeconfigPath: string, context: string | undefined): string {
  const available = config.getContexts().map((entry) => entry.name);
  const wanted = context ?? config.getCurrentContext();
  if (!wanted) {
    throw new ConfigError(
      `Kubeconfig ${kubeconfigPath} has no current context`,
      `Pass --context with one of: ${available.join(', ') || '(none)'}.`,
    );
  }
  if (!available.includes(wanted)) {
    throw new ConfigError(
      `Context "${wanted}" is not in kubeconfig ${kubeconfigPath}`,
      `Available contexts: ${available.join(', ') || '(none)'}.`,
    );
  }
  config.setCurrentContext(wanted);
  return wanted;
}

/** Opens the API of `context` (default: the file's current context); ConfigError when the file or context is unusable. */
export function connect(kubeconfigPath: string, context?: string): Kube {
  const config = loadConfig(kubeconfigPath);
  const chosen = selectContext(config, kubeconfigPath, context);
  if (!config.getCurrentCluster()) {
    throw new ConfigError(
      `Context "${chosen}" in kubeconfig ${kubeconfigPath} names no cluster`,
      'Fix the context entry or choose another with --context.',
    );
  }
  return {
    config,
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    batch: config.makeApiClient(BatchV1Api),
    networking: config.makeApiClient(NetworkingV1Api),
    storage: config.makeApiClient(StorageV1Api),
    extensions: config.makeApiClient(ApiextensionsV1Api),
    context: chosen,
  };
}

/** Whether an API error says the object does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

/** Runs a delete; `false` when the object was already gone (NotFound), other errors rethrown. */
export async function deleteUnlessGone(remove: () => Promise<unknown>): Promise<boolean> {
  try {
    await remove();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Whether an API error says the object already exists. */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiException && error.code === 409;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** A one-line description of an API or network error: `HTTP 403: pods is forbidden: …`, `ECONNREFUSED`. */
export function describeApiError(error: unknown): string {
  if (error instanceof ApiException) {
    // Only the Status message: the body and headers of other answers can be long or carry tokens.
    const message = field(error.body, 'message');
    return typeof message === 'string' ? `HTTP ${error.code}: ${firstLine(message)}` : `HTTP ${error.code}`;
  }
  if (!(error instanceof Error)) return String(error);
  const code = field(error.cause, 'code');
  return typeof code === 'string' ? code : firstLine(error.message) || error.name;
}

/** Per-request options that abort the HTTP request when `signal` aborts. */
export function requestOptions(signal?: AbortSignal): ConfigurationOptions<ObservableMiddleware> | undefined {
  if (!signal) return undefined;
  const withSignal: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
  return { middleware: [withSignal], middlewareMergeStrategy: 'append' };
}
