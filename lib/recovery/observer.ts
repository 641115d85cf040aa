// Watches and probes of one trial: the node and pod watches mark when the target went NotReady, its pods were
// evicted, their replacements were Ready and the node was Ready again; probes mark when the API and the health
// endpoint stopped and started answering. Each mark keeps the moment it was observed on both clocks.
import { httpGet } from '../http.ts';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { Kube } from '../k8s/client.ts';
import { requestOptions } from '../k8s/client.ts';
import { watchNodes, watchPods, type ObservedAt } from '../k8s/watch.ts';
import { poll, type Look } from '../wait.ts';
import { markOnce, type Mark, type Marks } from './phases.ts';
import type { Phase, Scenario } from './scenarios.ts';
import { baselineOf, evictedFrom, notReadySince, podsRecovered, readyAgain } from './watched-objects.ts';

/** A watch event is observed as it arrives; its precision is verified against the API's own timestamps. */
export const WATCH_PRECISION_MS = 1_000;
/** Pause between probes of the API and of the health endpoint. */
export const PROBE_INTERVAL_MS = 1_000;
/** Budget of one probe: a probe still unanswered then counts as failed. */
const PROBE_CALL_MS = 3_000;

/** What the observer looks at. */
export interface ObserverTarget {
  /** The scenario of the trial. */
  scenario: Scenario;
  /** The faulted node. */
  node: string;
  /** The stack's namespace. */
  namespace: string;
  /** Health URL through the ingress. */
  healthUrl: string;
  /** Host header the stack's route needs, when it matches a host name. */
  host?: string;
}

/** When the fault began (epoch ms and monotonic ms). */
export interface FaultTime {
  /** Epoch ms. */
  wallMs: number;
  /** `performance.now()`. */
  mono: number;
}

function markAt(at: ObservedAt, precisionMs: number, apiAt?: string): Mark {
  return { mono: at.mono, wall: at.wall, precisionMs, ...(apiAt ? { apiAt } : {}) };
}

function nowAt(): ObservedAt {
  return { wall: new Date().toISOString(), mono: performance.now() };
}

/** Observes one trial from before its fault until `stop()`. */
export class TrialObserver {
  /** Phases seen after the fault. */
  readonly marks: Marks = {};
  /** Stack pods by uid, as last seen. */
  readonly pods = new Map<string, V1Pod>();
  /** Whether a health probe failed after the fault. */
  healthFailed = false;
  /** Whether the last health probe answered. */
  healthOk = false;
  /** What the last failed health probe saw, for a trial that never recovers. */
  lastHealthProblem?: string;
  /** Last watch or probe error, for the trial's evidence. */
  lastError?: string;
  #fault?: FaultTime;
  #baseline = new Map<string, number>();
  #podsOnTarget = 0;
  #upMs?: number;
  #node?: V1Node;
  readonly #controller = new AbortController();
  readonly #running: Promise<unknown>[] = [];

  constructor(
    private readonly kube: Pick<Kube, 'config' | 'core'>,
    private readonly target: ObserverTarget,
    signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => this.#controller.abort(signal.reason), { once: true });
  }

  /** Starts the watches and probes. */
  start(): void {
    const signal = this.#controller.signal;
    const onError = (error: Error): void => void (this.lastError = error.message);
    this.#running.push(watchNodes(this.kube, (node, at) => this.#onNode(node, at), signal, { onError }));
    this.#running.push(
      watchPods(this.kube, { namespace: this.target.namespace, onError }, (pod, at, phase) => this.#onPod(pod, at, phase), signal),
    );
    this.#running.push(
      this.#probe(
        'the health endpoint to answer',
        (s) => this.#healthAnswers(s),
        (ok, at, gap) => this.#onHealth(ok, at, gap),
      ),
    );
    if (this.target.scenario.watched.includes('apiUnreachable')) {
      this.#running.push(
        this.#probe(
          'the API server to answer',
          (s) => this.#apiAnswers(s),
          (ok, at, gap) => this.#onApi(ok, at, gap),
        ),
      );
    }
  }

  /** Whether the watches have delivered the target node and the stack's pods. */
  get synced(): boolean {
    return this.#node !== undefined && this.pods.size > 0;
  }

  /** Marks the fault: phases are looked for from here, against the pods alive now. */
  faultBegins(fault: FaultTime): void {
    const live = [...this.pods.values()];
    this.#baseline = baselineOf(live);
    this.#podsOnTarget = live.filter((p) => p.spec?.nodeName === this.target.node && !p.metadata?.deletionTimestamp).length;
    this.#fault = fault;
  }

  /** The node was brought back (its container runs again) at `wallMs`. */
  nodeBack(wallMs: number): void {
    this.#upMs = wallMs;
    if (this.#node) this.#onNode(this.#node, nowAt());
  }

  /** Stack pods on the target when the fault began. */
  get podsOnTarget(): number {
    return this.#podsOnTarget;
  }

  /** Stops every watch and probe. */
  async stop(): Promise<void> {
    this.#controller.abort();
    await Promise.allSettled(this.#running);
  }

  #mark(phase: Phase, mark: Mark): void {
    if (this.#fault && this.target.scenario.watched.includes(phase)) markOnce(this.marks, phase, mark);
  }

  #onNode(node: V1Node, at: ObservedAt): void {
    if (node.metadata?.name !== this.target.node) return;
    this.#node = node;
    if (!this.#fault) return;
    const down = notReadySince(node);
    if (down) this.#mark('nodeNotReady', markAt(at, WATCH_PRECISION_MS, down.apiAt));
    const up = this.#upMs === undefined ? undefined : readyAgain(node, { faultMs: this.#fault.wallMs, upMs: this.#upMs });
    if (up) this.#mark('nodeReady', markAt(at, WATCH_PRECISION_MS, up.apiAt));
  }

  #onPod(pod: V1Pod, at: ObservedAt, phase: string): void {
    const uid = pod.metadata?.uid ?? pod.metadata?.name ?? '';
    if (phase === 'DELETED') this.pods.delete(uid);
    else this.pods.set(uid, pod);
    if (!this.#fault) return;
    const evicted = phase === 'DELETED' ? undefined : evictedFrom(pod, this.target.node);
    if (evicted) this.#mark('podsEvicted', markAt(at, WATCH_PRECISION_MS, evicted.apiAt));
    if (this.#podsOnTarget === 0) return;
    const recovered = podsRecovered([...this.pods.values()], this.#baseline, this.target.node, this.#fault.wallMs);
    if (recovered) this.#mark('podsReady', markAt(at, WATCH_PRECISION_MS, recovered.apiAt));
  }

  #onHealth(ok: boolean, at: ObservedAt, gapMs: number): void {
    this.healthOk = ok;
    if (!this.#fault) return;
    if (!ok) this.healthFailed = true;
    else if (this.healthFailed) this.#mark('healthBack', markAt(at, gapMs));
  }

  #onApi(ok: boolean, at: ObservedAt, gapMs: number): void {
    if (!this.#fault) return;
    if (!ok) this.#mark('apiUnreachable', markAt(at, gapMs));
    else if (this.marks.apiUnreachable) this.#mark('apiAnswering', markAt(at, gapMs));
  }

  /** Looks with `check` every PROBE_INTERVAL_MS until stopped; reports each result with the gap since the previous look. */
  #probe(
    what: string,
    check: (signal: AbortSignal) => Promise<boolean>,
    report: (ok: boolean, at: ObservedAt, gapMs: number) => void,
  ): Promise<void> {
    const onLook = (seen: Look<boolean>): void => {
      if (seen.error) this.lastHealthProblem = seen.error.message;
      report(seen.value === true, { wall: seen.wall, mono: seen.mono }, seen.gapMs);
    };
    return poll(check, onLook, { what, every: PROBE_INTERVAL_MS, lookWithin: PROBE_CALL_MS, signal: this.#controller.signal });
  }

  async #healthAnswers(signal: AbortSignal): Promise<boolean> {
    const { host } = this.target;
    const reply = await httpGet(this.target.healthUrl, { signal, ...(host ? { host } : {}) });
    const ok = reply.status >= 200 && reply.status < 300;
    if (!ok) this.lastHealthProblem = `HTTP ${reply.status}`;
    return ok;
  }

  async #apiAnswers(signal: AbortSignal): Promise<boolean> {
    await this.kube.core.readNode({ name: this.target.node }, requestOptions(signal));
    return true;
  }
}
