// Named conditions for `waitFor`: each says what it waits for in words a report reader understands and
// reports what it last saw (`2/3 ready`). Each takes only the API methods it calls, so tests pass small fakes.
import type { AppsV1Api, BatchV1Api, CoreV1Api, V1Deployment, V1Job, V1Node, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { ConditionFailedError, TimeoutError, formatDuration, withDeadline, type Condition, type Observation } from '../wait.ts';
import { httpGet } from '../http.ts';
import { describeApiError, isNotFound, requestOptions } from './client.ts';
import { isPodReady, podProblem } from './objects.ts';
import { replicaObservation } from './replica-counts.ts';

/** A node's readiness as last seen. */
export interface NodeState {
  /** The node object. */
  node: V1Node;
  /** Status of the Ready condition: `True`, `False` or `Unknown`. */
  ready: string;
  /** When the Ready condition last changed, as the API recorded it (ISO, 1 s resolution). */
  lastTransitionTime?: string;
}

/** What an HTTP endpoint answered. */
export interface HttpAnswer {
  /** Status code. */
  status: number;
  /** Body text, read only when the condition looks into it. */
  body: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

async function readOrMissing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function replicasWhat(kind: string, namespace: string, name: string, replicas: number | undefined): string {
  const subject = `${kind}/${name} in namespace ${namespace}`;
  return replicas === undefined ? `every replica of ${subject} to be ready` : `${plural(replicas, 'ready replica')} of ${subject}`;
}

/** A Deployment has `replicas` (default: its spec's count) ready, updated replicas and no surplus pods. */
export function deploymentReady(
  kube: { apps: Pick<AppsV1Api, 'readNamespacedDeployment'> },
  namespace: string,
  name: string,
  replicas?: number,
): Condition<V1Deployment> {
  return {
    what: replicasWhat('deployment', namespace, name, replicas),
    check: async (signal) => {
      const found = await readOrMissing(() => kube.apps.readNamespacedDeployment({ name, namespace }, requestOptions(signal)));
      return found ? replicaObservation(found, replicas) : { ok: false, observed: 'not found' };
    },
  };
}

/** A StatefulSet has `replicas` (default: its spec's count) ready, updated replicas. */
export function statefulSetReady(
  kube: { apps: Pick<AppsV1Api, 'readNamespacedStatefulSet'> },
  namespace: string,
  name: string,
  replicas?: number,
): Condition<V1StatefulSet> {
  return {
    what: replicasWhat('statefulset', namespace, name, replicas),
    check: async (signal) => {
      const found = await readOrMissing(() => kube.apps.readNamespacedStatefulSet({ name, namespace }, requestOptions(signal)));
      return found ? replicaObservation(found, replicas) : { ok: false, observed: 'not found' };
    },
  };
}

type PodLister = { core: Pick<CoreV1Api, 'listNamespacedPod'> };

function podsObservation(pods: V1Pod[], want: number): Observation<V1Pod[]> {
  const live = pods.filter((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed');
  const ready = live.filter(isPodReady);
  const stuck = live.find((pod) => !isPodReady(pod));
  const problem = stuck ? `; ${stuck.metadata?.name ?? '?'}: ${podProblem(stuck)}` : '';
  return { ok: ready.length >= want, observed: `${ready.length}/${want} ready${problem}`, value: pods };
}

/** At least `count` pods matching `labelSelector` are Running and Ready. */
export function podsReady(kube: PodLister, namespace: string, labelSelector: string, count: number): Condition<V1Pod[]> {
  return {
    what: `${plural(count, 'ready pod')} matching ${labelSelector} in namespace ${namespace}`,
    check: async (signal) => {
      const list = await kube.core.listNamespacedPod({ namespace, labelSelector }, requestOptions(signal));
      return podsObservation(list.items, count);
    },
  };
}

/** Every pod of the namespace that is meant to run is Ready (finished Job pods aside), and there is at least one. */
export function allPodsReady(kube: PodLister, namespace: string): Condition<V1Pod[]> {
  return {
    what: `every pod in namespace ${namespace} to be ready`,
    check: async (signal) => {
      const list = await kube.core.listNamespacedPod({ namespace }, requestOptions(signal));
      const live = list.items.filter((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed');
      if (live.length === 0) return { ok: false, observed: 'no pods yet', value: list.items };
      return podsObservation(list.items, live.length);
    },
  };
}

function nodeState(node: V1Node): NodeState {
  const condition = node.status?.conditions?.find((c) => c.type === 'Ready');
  return { node, ready: condition?.status ?? 'Unknown', lastTransitionTime: condition?.lastTransitionTime?.toISOString() };
}

function describeNode(node: V1Node): string {
  const condition = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (condition?.status === 'True') return 'Ready';
  const label = condition?.status === 'False' ? 'NotReady' : 'Unknown';
  return condition?.reason ? `${label} (${condition.reason})` : label;
}

function nodeCondition(kube: { core: Pick<CoreV1Api, 'readNode'> }, node: string, wantReady: boolean): Condition<NodeState> {
  return {
    what: `node ${node} to be ${wantReady ? 'Ready' : 'NotReady'}`,
    check: async (signal) => {
      const found = await kube.core.readNode({ name: node }, requestOptions(signal));
      const state = nodeState(found);
      return { ok: (state.ready === 'True') === wantReady, observed: describeNode(found), value: state };
    },
  };
}

/** A node's Ready condition is True. */
export function nodeReady(kube: { core: Pick<CoreV1Api, 'readNode'> }, node: string): Condition<NodeState> {
  return nodeCondition(kube, node, true);
}

/** A node's Ready condition is False or Unknown (the control plane noticed it is gone). */
export function nodeNotReady(kube: { core: Pick<CoreV1Api, 'readNode'> }, node: string): Condition<NodeState> {
  return nodeCondition(kube, node, false);
}

/** At least `count` nodes are Ready. */
export function nodesReady(kube: { core: Pick<CoreV1Api, 'listNode'> }, count: number): Condition<NodeState[]> {
  return {
    what: `${plural(count, 'Ready node')}`,
    check: async (signal) => {
      const states = (await kube.core.listNode({}, requestOptions(signal))).items.map(nodeState);
      const down = states.filter((s) => s.ready !== 'True').map((s) => `${s.node.metadata?.name ?? '?'}: ${describeNode(s.node)}`);
      const ready = states.length - down.length;
      return { ok: ready >= count, observed: `${ready}/${count} Ready${down.length ? `; ${down.join(', ')}` : ''}`, value: states };
    },
  };
}

/** A Job completes; a failed Job makes the wait fail at once, since it can never complete. */
export function jobComplete(kube: { batch: Pick<BatchV1Api, 'readNamespacedJob'> }, namespace: string, name: string): Condition<V1Job> {
  const subject = `job/${name} in namespace ${namespace}`;
  return {
    what: `${subject} to complete`,
    check: async (signal) => {
      const job = await readOrMissing(() => kube.batch.readNamespacedJob({ name, namespace }, requestOptions(signal)));
      if (!job) return { ok: false, observed: 'not found' };
      const holds = (type: string): { reason?: string; message?: string } | undefined =>
        job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
      const failed = holds('Failed');
      if (failed) throw new ConditionFailedError(`${subject} failed: ${[failed.reason, failed.message].filter(Boolean).join(': ')}`);
      const { active = 0, succeeded = 0, failed: failures = 0 } = job.status ?? {};
      return { ok: holds('Complete') !== undefined, observed: `${active} active, ${succeeded} succeeded, ${failures} failed`, value: job };
    },
  };
}

/** The object `read` fetches no longer exists (`what` names it, e.g. `pod/web-1 in namespace openms`). */
export function resourceGone(
  what: string,
  read: (signal: AbortSignal) => Promise<{ metadata?: { deletionTimestamp?: Date } }>,
): Condition<void> {
  return {
    what: `${what} to be gone`,
    check: async (signal) => {
      const found = await readOrMissing(() => read(signal));
      if (!found) return { ok: true, observed: 'gone' };
      return { ok: false, observed: found.metadata?.deletionTimestamp ? 'terminating' : 'still present' };
    },
  };
}

/**
 * An HTTP endpoint answers `status` (default any 2xx), with `bodyIncludes` in its body when given. With
 * `host`, the request goes to `url`'s address carrying that Host header (a route matching a host name).
 */
export function httpAnswers(
  url: string,
  expect: { status?: number; bodyIncludes?: string; attemptMs?: number; host?: string } = {},
): Condition<HttpAnswer> {
  const wanted = `${expect.status ?? '2xx'}${expect.bodyIncludes === undefined ? '' : ` with "${expect.bodyIncludes}"`}`;
  const ask = async (signal: AbortSignal): Promise<HttpAnswer> => {
    const reply = await httpGet(url, {
      signal,
      readBody: expect.bodyIncludes !== undefined,
      ...(expect.host ? { host: expect.host } : {}),
    });
    return { status: reply.status, body: reply.body };
  };
  return {
    what: `${url}${expect.host ? ` (Host ${expect.host})` : ''} to answer ${wanted}`,
    check: async (signal) => {
      let answer: HttpAnswer;
      try {
        answer = await withDeadline(ask, { within: expect.attemptMs ?? 10_000, signal, what: `an answer from ${url}` });
      } catch (error) {
        if (signal.aborted) throw error;
        return {
          ok: false,
          observed: error instanceof TimeoutError ? `no answer within ${formatDuration(error.withinMs)}` : describeApiError(error),
        };
      }
      const statusOk = expect.status === undefined ? answer.status >= 200 && answer.status < 300 : answer.status === expect.status;
      const bodyOk = expect.bodyIncludes === undefined || answer.body.includes(expect.bodyIncludes);
      const observed = `HTTP ${answer.status}${statusOk && !bodyOk ? ` without "${expect.bodyIncludes}"` : ''}`;
      return { ok: statusOk && bodyOk, observed, value: answer };
    },
  };
}
