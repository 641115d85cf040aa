// Sticky sessions seen from real browsers: independent Chromium contexts (each its own cookie jar) load
// the Streamlit page through the ingress, hold its stream websocket, reload it and re-attach their
// workspace, recording per page load which pod served it (the installation id Streamlit sends on the
// load's stream websocket) and which sticky cookie the ingress set.
// The verdicts on these records live in `session-verdicts.ts`, pure and testable without a browser.
import type { Browser, Page, Response } from 'playwright-core';
import { waitFor, type Condition, type WaitListener } from '../wait.ts';
import { launchChromium, type HostMapping } from './launch.ts';
import { podOfFrame, podOfWorkspace, workspaceOfUrl, type WebPodIdentity } from './pod-identity.ts';
import { STICKY_COOKIE, type HoldObservation, type LoadObservation, type SessionRecord } from './session-records.ts';
import { holdStream, watchStreams, type StreamWatch } from './stream-hold.ts';

/** What to observe. */
export interface SessionPlan {
  /** URL of a path through the ingress, as a browser opens it. */
  url: (path: string) => string;
  /** Host name the browser maps to the ingress address, when the stack's route matches one. */
  hostMapping?: HostMapping;
  /** Sessions opened at once. */
  sessions: number;
  /** Most sessions in all: extra ones are opened one by one until `pods` pods have served some session. */
  maxSessions: number;
  /** Web pods the sessions should reach together. */
  pods: number;
  /** What tells each web pod apart (read from the pods before the sessions). */
  identities: readonly WebPodIdentity[];
  /** Reloads per session after the first load. */
  reloads: number;
  /** How long each session's stream websocket must stay open, ms. */
  holdMs: number;
  /** How long a page load may take until the pod serving it is known, ms. */
  renderTimeoutMs: number;
  /** Aborts the observation (closes the browser). */
  signal?: AbortSignal;
  /** Told of each load's wait for its pod (the running check's waits). */
  listener?: WaitListener;
}

/** Opens `plan.sessions` sessions at once, then more one by one until `plan.pods` pods are reached. */
export async function observeSessions(plan: SessionPlan): Promise<SessionRecord[]> {
  const browser = await launchChromium(plan.hostMapping ? { hostMapping: plan.hostMapping } : {});
  const abort = (): void => void browser.close().catch(() => undefined);
  plan.signal?.addEventListener('abort', abort, { once: true });
  try {
    const ids = Array.from({ length: plan.sessions }, (_, i) => i + 1);
    const sessions = await Promise.all(ids.map((id) => observeSession(browser, id, plan)));
    // More sessions help only when pods can be told apart at all. Not a wait: each round is a whole new
    // session (bounded by maxSessions and the load budgets inside it), and nothing is polled.
    while (
      distinctPods(sessions) > 0 &&
      distinctPods(sessions) < plan.pods &&
      sessions.length < plan.maxSessions &&
      !plan.signal?.aborted
    ) {
      sessions.push(await observeSession(browser, sessions.length + 1, plan));
    }
    return sessions;
  } finally {
    plan.signal?.removeEventListener('abort', abort);
    await browser.close();
  }
}

/** A session's way to load its page: each load observed (its pod, workspace and wait) and appended to `loads`. */
function pageLoader(
  page: Page,
  plan: SessionPlan,
  sockets: StreamWatch,
  loads: LoadObservation[],
): (kind: LoadObservation['kind'], label: string, go: () => Promise<unknown>) => Promise<LoadObservation> {
  return async (kind, label, go) => {
    const seen = await observeLoad(
      page,
      {
        kind,
        label,
        timeoutMs: plan.renderTimeoutMs,
        index: loads.length,
        sockets,
        identities: plan.identities,
        signal: plan.signal,
        listener: plan.listener,
      },
      go,
    );
    loads.push(seen);
    return seen;
  };
}

/** One session in a fresh context: first load, websocket hold, reloads, re-attach of its workspace. */
async function observeSession(browser: Browser, id: number, plan: SessionPlan): Promise<SessionRecord> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // A navigation shares the load's budget (Playwright's own default is 30 s).
    page.setDefaultNavigationTimeout(plan.renderTimeoutMs);
    const loads: LoadObservation[] = [];
    const sockets = watchStreams(
      page,
      () => loads.length,
      (payload) => podOfFrame(payload, plan.identities),
    );
    const load = pageLoader(page, plan, sockets, loads);
    const first = await load('first', 'first load', () => page.goto(plan.url('/')));
    // A page that never names its pod would only fail the same way on every reload: stop here.
    if (first.pod === null) return { id, loads, sockets: sockets.records, hold: unheld(first), cookie: null };
    const hold = await holdStream(sockets.latest(), plan.holdMs);
    for (let n = 1; n <= plan.reloads; n += 1) await load('reload', `reload ${n}`, () => page.reload());
    const workspace = first.workspace ?? loads.find((l) => l.workspace !== null)?.workspace;
    await load('reattach', 're-attach', () => {
      if (!workspace) throw new Error('no workspace id was shown, so none could be re-attached');
      return page.goto(plan.url(`/?workspace=${encodeURIComponent(workspace)}`));
    });
    const cookie = (await context.cookies()).find((c) => c.name === STICKY_COOKIE)?.value ?? null;
    return { id, loads, sockets: sockets.records, hold, cookie };
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** What one page load is observed with. */
interface LoadWatch {
  kind: LoadObservation['kind'];
  label: string;
  timeoutMs: number;
  /** Index of this load in the session (the stream websockets it opens are tagged with it). */
  index: number;
  sockets: StreamWatch;
  identities: readonly WebPodIdentity[];
  signal?: AbortSignal;
  listener?: WaitListener;
}

/** The hold record of a session stopped after its first load. */
function unheld(first: LoadObservation): HoldObservation {
  return {
    url: null,
    held: false,
    heldMs: 0,
    framesBefore: 0,
    framesDuring: 0,
    error: `not held: the first load did not name its pod (${first.error ?? 'unknown'})`,
  };
}

/** Navigates with `go` and waits until this load's stream names its pod and the URL its workspace; failures become the record's error. */
async function observeLoad(page: Page, what: LoadWatch, go: () => Promise<unknown>): Promise<LoadObservation> {
  const responses: Response[] = [];
  const onResponse = (response: Response): void => void responses.push(response);
  page.on('response', onResponse);
  const started = performance.now();
  try {
    await go();
    const seen = await waitFor(loadKnown(page, what), {
      within: what.timeoutMs,
      interval: 250,
      listener: what.listener,
      ...(what.signal ? { signal: what.signal } : {}),
    });
    const { pod, workspace } = seen.value ?? { pod: null, workspace: null };
    const ms = Math.round(performance.now() - started);
    const workspacePod = workspace && what.kind === 'first' ? (podOfWorkspace(workspace, what.identities) ?? null) : null;
    return await loadRecord(page, what, { pod, workspace, workspacePod, ms }, responses);
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    const workspace = workspaceOfUrl(page.url()) ?? null;
    return await loadRecord(page, what, { pod: null, workspace, ms, error: reason }, responses);
  } finally {
    page.off('response', onResponse);
  }
}

/** What a load found out, in the order its record lists it. */
type LoadFindings = Pick<LoadObservation, 'pod' | 'workspace' | 'workspacePod' | 'ms' | 'error'>;

/** The record of one load: where the page ended, what the load found, and the sticky cookies its responses set. */
async function loadRecord(page: Page, what: LoadWatch, found: LoadFindings, responses: readonly Response[]): Promise<LoadObservation> {
  const { error, ...seen } = found;
  return {
    kind: what.kind,
    label: what.label,
    url: page.url(),
    ...seen,
    responses: responses.length,
    cookiesSet: await stickyCookiesSet(responses),
    ...(error === undefined ? {} : { error }),
  };
}

/** This load's stream websocket carried a known pod's installation id, and the URL names a workspace. */
function loadKnown(page: Page, what: LoadWatch): Condition<{ pod: string; workspace: string }> {
  return {
    what: `the ${what.label}'s stream websocket to name its web pod and the URL its workspace`,
    check: () => {
      const socket = what.sockets.records.filter((record) => record.load === what.index).at(-1);
      const workspace = workspaceOfUrl(page.url());
      const ids = what.identities.map((pod) => pod.installation_id).join(', ');
      const stream = !socket
        ? 'no stream websocket opened yet'
        : socket.pod
          ? `stream from ${socket.pod}`
          : `${socket.frames} frame(s) on the stream, none with the installation id of a web pod (${ids})`;
      const ok = Boolean(socket?.pod && workspace);
      const observed = `${stream}; ${workspace ? `workspace ${workspace}` : 'no ?workspace= in the URL yet'}`;
      return Promise.resolve({ ok, observed, ...(ok && socket?.pod && workspace ? { value: { pod: socket.pod, workspace } } : {}) });
    },
  };
}

/** Sticky cookie values set by `responses` (Set-Cookie is only readable through headerValue). */
async function stickyCookiesSet(responses: readonly Response[]): Promise<string[]> {
  const headers = await Promise.all(responses.map((r) => r.headerValue('set-cookie').catch(() => null)));
  return headers.flatMap((header) => (header ? stickyCookieValues(header) : []));
}

/** Sticky cookie values in a Set-Cookie header value (Playwright joins several cookies with newlines). */
export function stickyCookieValues(header: string): string[] {
  return header
    .split('\n')
    .map((cookie) => cookie.trim().split(';')[0] ?? '')
    .filter((pair) => pair.startsWith(`${STICKY_COOKIE}=`))
    .map((pair) => pair.slice(STICKY_COOKIE.length + 1));
}

/** How many different pods served any load of `sessions` (the verdicts' `podsReached` lists them). */
function distinctPods(sessions: readonly SessionRecord[]): number {
  return new Set(sessions.flatMap((s) => s.loads.flatMap((l) => (l.pod ? [l.pod] : [])))).size;
}
