import { expect } from 'chai';
import { podSequence, podsReached, reachProblems, sessionFigures, stickinessProblems, websocketProblems } from './verdicts.ts';
import type { HoldObservation, LoadObservation, SessionRecord } from '../../lib/browser/session-records.ts';

const WS = 'ws://127.0.0.1:18080/_stcore/stream';
const HELD: HoldObservation = { url: WS, held: true, heldMs: 10_000, framesBefore: 4, framesDuring: 9 };
const LABELS = ['first load', 'reload 1', 'reload 2', 'reload 3', 're-attach'];

function load(i: number, pod: string | null, extra: Partial<LoadObservation> = {}): LoadObservation {
  const kind = i === 0 ? 'first' : i === LABELS.length - 1 ? 'reattach' : 'reload';
  return {
    kind,
    label: LABELS[i] ?? `load ${i}`,
    url: 'http://127.0.0.1:18080/?workspace=w1',
    pod,
    workspace: pod ? 'w1' : null,
    ms: 1500 + i,
    responses: 80,
    cookiesSet: [],
    ...extra,
  };
}

/** A session served by `pods` load by load (first load, 3 reloads, re-attach). */
function session(id: number, pods: readonly (string | null)[], extra: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    loads: pods.map((pod, i) => load(i, pod, i === 0 && extra.cookie !== null ? { cookiesSet: ['c1'] } : {})),
    sockets: [{ url: WS, load: 0, openedMs: 900, frames: 13 }],
    hold: HELD,
    cookie: 'c1',
    ...extra,
  };
}

const sticky = (id: number, pod: string): SessionRecord => session(id, [pod, pod, pod, pod, pod]);

describe('sessions/verdicts', () => {
  it('finds nothing wrong with sticky sessions spread over two pods', () => {
    const sessions = [sticky(1, 'web-a'), sticky(2, 'web-b'), sticky(3, 'web-a'), sticky(4, 'web-b'), sticky(5, 'web-a')];
    expect(stickinessProblems(sessions, 5)).to.deep.equal([]);
    expect(reachProblems(sessions, ['web-a', 'web-b'])).to.deep.equal([]);
    expect(websocketProblems(sessions, 10_000)).to.deep.equal([]);
  });

  it('names the pods a session switched between and the missing cookie', () => {
    const switching = session(3, ['web-a', 'web-b', 'web-b', 'web-a', 'web-b'], { cookie: null });
    expect(podSequence(switching)).to.deep.equal(['web-a', 'web-b', 'web-a', 'web-b']);
    expect(stickinessProblems([switching], 1)).to.deep.equal([
      'session 3 was served by web-a then web-b then web-a then web-b across reloads and re-attach: sticky cookie stroute is not set — affinity is missing on the Service/Ingress',
    ]);
  });

  it('blames the ingress when a session switched pods despite its cookie', () => {
    expect(stickinessProblems([session(2, ['web-a', 'web-a', 'web-b', 'web-b', 'web-b'])], 1)).to.deep.equal([
      'session 2 was served by web-a then web-b across reloads and re-attach: although it held sticky cookie stroute=c1 — the ingress does not honour it',
    ]);
  });

  it('does not accept a session that stayed on one pod without a sticky cookie', () => {
    expect(stickinessProblems([session(4, ['web-a', 'web-a', 'web-a', 'web-a', 'web-a'], { cookie: null })], 1)).to.deep.equal([
      'session 4 stayed on web-a only by chance: sticky cookie stroute is not set — affinity is missing on the Service/Ingress',
    ]);
  });

  it('reports too few sessions, loads without a pod, re-assigned cookies and a lost workspace', () => {
    const broken = session(1, ['web-a', null, 'web-a', 'web-a', 'web-a']);
    broken.loads[1] = load(1, null, { error: 'Timeout 30000ms exceeded.' });
    broken.loads[2] = load(2, 'web-a', { cookiesSet: ['c2'] });
    broken.loads[4] = load(4, 'web-a', { workspace: 'w9' });
    expect(stickinessProblems([broken], 5)).to.deep.equal([
      'only 1 browser sessions were observed; at least 5 are needed',
      'session 1: the reload 1 did not name the serving pod (Timeout 30000ms exceeded.)',
      'session 1 was given stroute=c1, then c2: the ingress re-assigned the session',
      'session 1 re-attached workspace w1 but was shown w9',
    ]);
  });

  it('fails the reach when every session landed on one pod, naming the pod never reached', () => {
    const sessions = [sticky(1, 'web-a'), sticky(2, 'web-a')];
    expect(podsReached(sessions)).to.deep.equal(['web-a']);
    expect(reachProblems(sessions, ['web-a', 'web-b'])).to.deep.equal([
      'all 2 browser sessions were served by web-a alone, never by web-b: stickiness is untested — the ingress sends new sessions to one pod only',
    ]);
    expect(reachProblems(sessions, ['web-a'])[0]).to.match(/^only 1 Ready web pod \(web-a\)/);
  });

  it('tells apart a websocket never opened, never upgraded, closed early, failed and stalled', () => {
    const sessions = [
      session(1, ['web-a'], {
        hold: {
          url: null,
          held: false,
          heldMs: 0,
          framesBefore: 0,
          framesDuring: 0,
          error: 'the first load opened no /_stcore/stream websocket',
        },
      }),
      session(2, ['web-a'], {
        hold: { ...HELD, held: false, heldMs: 0, framesBefore: 0, framesDuring: 0 },
        sockets: [{ url: WS, load: 0, openedMs: 1, frames: 0, error: 'Error during WebSocket handshake' }],
      }),
      session(3, ['web-a'], { hold: { ...HELD, held: false, heldMs: 2_500 } }),
      session(4, ['web-a'], { hold: { ...HELD, held: false, heldMs: 100, error: 'Target closed' } }),
      session(5, ['web-a'], { hold: { ...HELD, framesDuring: 0 } }),
    ];
    expect(websocketProblems(sessions, 10_000)).to.deep.equal([
      'session 1: the first load opened no /_stcore/stream websocket',
      'session 2: the /_stcore/stream websocket received no frame — it was not upgraded (Error during WebSocket handshake)',
      'session 3: the /_stcore/stream websocket closed after 2.5 s, before the 10 s hold ended',
      'session 4: the /_stcore/stream websocket failed during the 10 s hold: Target closed',
      'session 5: the /_stcore/stream websocket stayed open 10 s but no frame arrived — the stream stalled',
    ]);
  });

  it('sums up sessions, reloads, pods reached, the shortest hold and the slowest load', () => {
    const sessions = [
      sticky(1, 'web-a'),
      session(2, ['web-b', 'web-b', 'web-b', 'web-b', 'web-b'], { hold: { ...HELD, heldMs: 4_000, held: false } }),
    ];
    expect(sessionFigures(sessions)).to.deep.equal({ sessions: 2, reloads: 3, podsReached: 2, minHeldSeconds: 0, slowestLoadMs: 1504 });
    expect(sessionFigures([sticky(1, 'web-a')]).minHeldSeconds).to.equal(10);
  });
});
