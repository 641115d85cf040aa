// sessions: with two web replicas behind the ingress, independent Chromium sessions each stay on one pod
// across reloads and a workspace re-attach (the pod is known on every load from the installation id
// Streamlit sends on the load's stream websocket, matched against what each web pod sends), the sessions
// together reach both pods, and each session's Streamlit stream websocket is upgraded and held.
import { expect } from 'chai';
import { harness } from '../../lib/suite.ts';
import { stackHostMapping } from '../../lib/browser/launch.ts';
import { observeSessions, type SessionPlan } from '../../lib/browser/sessions.ts';
import type { SessionRecord } from '../../lib/browser/session-records.ts';
import { reachProblems, sessionFigures, stickinessProblems, websocketProblems } from './verdicts.ts';
import { identityClashes, type WebPodIdentity } from '../../lib/browser/pod-identity.ts';
import { readinessChecks } from '../shared/readiness.ts';
import { OPENMS_LAYOUT, openmsOnly, scaleFor } from '../shared/openms-stack.ts';

/** Web replicas during the suite. */
const WEB_REPLICAS = 2;
/**
 * Sessions opened at once, and the most in all (extra ones only until both pods are reached); reloads
 * per session; how long each stream websocket must stay open; how long a load may take until its pod is
 * known (a page that never names one fails after its first load, so within about this long).
 */
const PLAN = { sessions: 5, maxSessions: 10, reloads: 3, holdMs: 10_000, renderTimeoutMs: 45_000 } as const;

describe('sessions', function () {
  const h = harness(this);
  let restore: (() => Promise<void>) | undefined;
  let webPods: string[] = [];
  let identities: WebPodIdentity[] = [];
  let observed: Promise<SessionRecord[]> | undefined;

  after(async () => {
    await restore?.();
  });

  /** The sessions, observed once (by the first check that needs them) and judged by each check. */
  const sessions = (): Promise<SessionRecord[]> => (observed ??= observe());

  const observe = async (): Promise<SessionRecord[]> => {
    const hostMapping = stackHostMapping(h.stack, h.cluster.ingressUrl);
    const plan: SessionPlan = {
      ...PLAN,
      url: (path) => h.stack.pageUrl(path),
      ...(hostMapping ? { hostMapping } : {}),
      pods: WEB_REPLICAS,
      identities,
      signal: h.signal,
      listener: h.waits,
    };
    const records = await h.step(
      `${PLAN.sessions} browser sessions load, hold, reload ${PLAN.reloads}× and re-attach through the ingress`,
      () => observeSessions(plan),
    );
    const evidence = { plan: { ...PLAN, pods: WEB_REPLICAS }, webPods, identities, sessions: records };
    h.saveArtifact('sessions.json', evidence, `what each of ${records.length} browser sessions saw, load by load`);
    const figures = sessionFigures(records);
    h.metric('browser sessions', figures.sessions, 'sessions');
    h.metric('reloads per session', figures.reloads, 'reloads');
    h.metric('web pods reached', figures.podsReached, 'pods');
    h.metric('stream websocket held (shortest)', figures.minHeldSeconds, 's');
    h.metric('slowest page load until its pod is known', figures.slowestLoadMs, 'ms', 1);
    return records;
  };

  readinessChecks(h);

  it(`the web Deployment runs ${WEB_REPLICAS} Ready pods`, async () => {
    const driver = openmsOnly(h, 'sessions suite');
    restore = await scaleFor(h, OPENMS_LAYOUT.web, WEB_REPLICAS);
    const pods = await h.step(`${WEB_REPLICAS} web pods are Ready`, () => driver.readyPods(OPENMS_LAYOUT.web, h.signal));
    webPods = pods.map((pod) => pod.metadata?.name ?? '').filter(Boolean);
    expect(webPods, `Ready web pods (${OPENMS_LAYOUT.web})`).to.have.length(WEB_REPLICAS);
    identities = await h.step('each web pod says what its sessions will carry (uuid node, Streamlit installation id)', () =>
      Promise.all(webPods.map(async (pod) => ({ pod, ...(await driver.identity({ pod, signal: h.signal })) }))),
    );
    for (const id of identities)
      h.note(`${id.pod} sends installation id ${id.installation_id} and makes workspaces with uuid node ${id.node}`);
    expect(identityClashes(identities), 'web pods that sessions cannot tell apart').to.deep.equal([]);
  });

  it(`at least ${PLAN.sessions} browser sessions each stay on one web pod across ${PLAN.reloads} reloads and a re-attach`, async () => {
    openmsOnly(h, 'sessions suite');
    const problems = stickinessProblems(await sessions(), PLAN.sessions);
    expect(problems, 'sessions that did not stay on one pod').to.deep.equal([]);
  });

  it('the sessions together reach more than one web pod', async () => {
    openmsOnly(h, 'sessions suite');
    const problems = reachProblems(await sessions(), webPods);
    expect(problems, 'why stickiness went untested').to.deep.equal([]);
  });

  it(`each session's /_stcore/stream websocket is upgraded and held ${PLAN.holdMs / 1000} s`, async () => {
    openmsOnly(h, 'sessions suite');
    const problems = websocketProblems(await sessions(), PLAN.holdMs);
    expect(problems, 'sessions whose stream websocket was not upgraded and held').to.deep.equal([]);
  });
});
