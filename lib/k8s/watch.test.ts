import { expect } from 'chai';
import type { KubeConfig, V1Node, V1Pod, Watch } from '@kubernetes/client-node';
import { watchNodes, watchPods, type ObservedAt } from './watch.ts';

type Callback = (phase: string, object: unknown) => void;
type Done = (error: unknown) => void;

/** A fake Watch: each `watch` call is handed to the script for that connection. */
function fakeWatcher(scripts: ((callback: Callback, done: Done, controller: AbortController) => void)[]) {
  const calls: { path: string; query: Record<string, unknown>; controller: AbortController }[] = [];
  const watcher: Pick<Watch, 'watch'> = {
    watch: (path, query, callback, done) => {
      const controller = new AbortController();
      calls.push({ path, query, controller });
      scripts[calls.length - 1]?.(callback, done, controller);
      return Promise.resolve(controller);
    },
  };
  return { watcher, calls };
}

const kube = { config: {} as KubeConfig };

describe('watchNodes', () => {
  it('reports each change with the time it was observed, restarts after an error, and stops on abort', async () => {
    const controller = new AbortController();
    const changes: { name?: string; phase: string; at: ObservedAt }[] = [];
    const errors: string[] = [];
    const { watcher, calls } = fakeWatcher([
      (callback, done) => {
        callback('ADDED', { metadata: { name: 'worker' } });
        callback('MODIFIED', { metadata: { name: 'worker' } });
        done(new Error('connection reset'));
      },
      (callback) => {
        callback('BOOKMARK', {});
        callback('MODIFIED', { metadata: { name: 'worker2' } });
        setTimeout(() => controller.abort(), 20);
      },
    ]);
    await watchNodes(kube, (node: V1Node, at, phase) => changes.push({ name: node.metadata?.name, phase, at }), controller.signal, {
      watcher,
      restartDelayMs: 5,
      onError: (error) => errors.push(error.message),
    });
    expect(calls.map((c) => c.path)).to.deep.equal(['/api/v1/nodes', '/api/v1/nodes']);
    expect(changes.map((c) => `${c.phase} ${c.name}`)).to.deep.equal(['ADDED worker', 'MODIFIED worker', 'MODIFIED worker2']);
    expect(errors).to.deep.equal(['connection reset']);
    expect(changes[0]!.at.mono).to.be.at.most(changes[2]!.at.mono);
    expect(Date.parse(changes[0]!.at.wall)).to.be.closeTo(Date.now(), 5_000);
    expect(calls[1]!.controller.signal.aborted).to.equal(true);
  });

  it('restarts a watch whose connection could not be opened', async () => {
    const controller = new AbortController();
    let opened = 0;
    const watcher: Pick<Watch, 'watch'> = {
      watch: () => {
        opened += 1;
        if (opened === 1) return Promise.reject(new Error('No currently active cluster'));
        controller.abort();
        return Promise.resolve(new AbortController());
      },
    };
    await watchNodes(kube, () => undefined, controller.signal, { watcher, restartDelayMs: 5 });
    expect(opened).to.equal(2);
  });
});

describe('watchPods', () => {
  it('watches the pods of one namespace by label selector', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const { watcher, calls } = fakeWatcher([
      (callback) => {
        callback('DELETED', { metadata: { name: 'web-1' } });
        controller.abort();
      },
    ]);
    await watchPods(
      kube,
      { namespace: 'openms', labelSelector: 'app=web', watcher },
      (pod: V1Pod, _at, phase) => seen.push(`${phase} ${pod.metadata?.name}`),
      controller.signal,
    );
    expect(calls[0]).to.deep.include({ path: '/api/v1/namespaces/openms/pods', query: { labelSelector: 'app=web' } });
    expect(seen).to.deep.equal(['DELETED web-1']);
  });
});
