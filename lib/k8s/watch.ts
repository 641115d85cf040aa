// Watches of nodes and pods that record when each change was observed (wall clock and monotonic clock), for
// recovery timing. A watch that ends or fails is restarted until the caller's signal aborts.
import { Watch, type KubeConfig, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { toError } from '../errors.ts';
import { delay } from '../wait.ts';

/** When a change was observed by this process. */
export interface ObservedAt {
  /** Wall-clock time (ISO). */
  wall: string;
  /** `performance.now()` at the same moment, for durations. */
  mono: number;
}

/** The kind of change a watch reported. */
export type ChangePhase = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Receives each change with the time it was observed. */
export type ChangeHandler<T> = (object: T, observedAt: ObservedAt, phase: ChangePhase) => void;

/** Options of a watch. */
export interface WatchOptions {
  /** Told each time the connection ends with an error, before the watch restarts. */
  onError?: (error: Error) => void;
  /** Pause before a restart in ms (default 1000). */
  restartDelayMs?: number;
  /** The watch implementation (tests pass a fake); default client-node's `Watch`. */
  watcher?: Pick<Watch, 'watch'>;
}

/** Which pods to watch. */
export interface PodWatchTarget extends WatchOptions {
  /** Namespace of the pods. */
  namespace: string;
  /** Label selector, e.g. `app=web`. */
  labelSelector?: string;
}

const PHASES: readonly string[] = ['ADDED', 'MODIFIED', 'DELETED'];

function now(): ObservedAt {
  return { wall: new Date().toISOString(), mono: performance.now() };
}

/** One watch connection; resolves with the error that ended it (undefined for a clean close or an abort). */
function watchOnce(
  watcher: Pick<Watch, 'watch'>,
  request: { path: string; query: Record<string, string> },
  onEvent: (phase: string, object: unknown) => void,
  signal: AbortSignal,
): Promise<Error | undefined> {
  return new Promise((resolve) => {
    let controller: AbortController | undefined;
    const finish = (error?: unknown): void => {
      signal.removeEventListener('abort', onAbort);
      resolve(error === null || error === undefined ? undefined : toError(error));
    };
    const onAbort = (): void => {
      controller?.abort();
      finish();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    watcher
      .watch(request.path, request.query, (phase, object) => onEvent(phase, object), finish)
      .then((handle) => {
        controller = handle;
        if (signal.aborted) handle.abort();
      }, finish);
  });
}

async function watchLoop<T>(
  request: { path: string; query: Record<string, string> },
  onChange: ChangeHandler<T>,
  signal: AbortSignal,
  options: WatchOptions & { config: KubeConfig },
): Promise<void> {
  const watcher = options.watcher ?? new Watch(options.config);
  const onEvent = (phase: string, object: unknown): void => {
    // The observation time is taken first, before any work, so it is as close to the arrival as possible.
    const at = now();
    if (PHASES.includes(phase)) onChange(object as T, at, phase as ChangePhase);
  };
  // Not a wait: a watch held open for as long as its observer runs; the pause only spaces out reconnects.
  while (!signal.aborted) {
    const error = await watchOnce(watcher, request, onEvent, signal);
    if (signal.aborted) return;
    if (error) options.onError?.(error);
    await delay(options.restartDelayMs ?? 1_000, signal).catch(() => undefined);
  }
}

/** Watches every node until `signal` aborts. */
export function watchNodes(
  kube: { config: KubeConfig },
  onChange: ChangeHandler<V1Node>,
  signal: AbortSignal,
  options: WatchOptions = {},
): Promise<void> {
  return watchLoop({ path: '/api/v1/nodes', query: {} }, onChange, signal, { ...options, config: kube.config });
}

/** Watches the pods of a namespace (optionally by label selector) until `signal` aborts. */
export function watchPods(
  kube: { config: KubeConfig },
  target: PodWatchTarget,
  onChange: ChangeHandler<V1Pod>,
  signal: AbortSignal,
): Promise<void> {
  const query: Record<string, string> = target.labelSelector ? { labelSelector: target.labelSelector } : {};
  const path = `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods`;
  return watchLoop({ path, query }, onChange, signal, { ...target, config: kube.config });
}
