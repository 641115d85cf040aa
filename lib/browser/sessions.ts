// Sticky sessions seen from real browsers: independent Chromium contexts (each its own cookie jar) load
// the Streamlit page through the ingress, hold its stream websocket, reload it and re-attach their
// workspace, recording per page load which pod served it and which sticky cookie the ingress set.
// The verdicts on these records live in `session-verdicts.ts`, pure and testable without a browser.
import { errors, type Browser, type Page, type Response } from 'playwright-core';
import { OPENMS_LAYOUT } from '../drivers/openms.ts';
import { launchChromium, type HostMapping } from './launch.ts';

/** The ingress's sticky cookie (Traefik Service annotation, nginx session-cookie-name). */
export const STICKY_COOKIE = OPENMS_LAYOUT.stickyCookie;
/** Streamlit's websocket path. */
export const STREAM_PATH = OPENMS_LAYOUT.stream;

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
  /** Reloads per session after the first load. */
  reloads: number;
  /** How long each session's stream websocket must stay open, ms. */
  holdMs: number;
  /** How long a page load may take to show the pod serving it, ms. */
  renderTimeoutMs: number;
  /** Aborts the observation (closes the browser). */
  signal?: AbortSignal;
}

/** One page load of a session. */
export interface LoadObservation {
  /** The first load, a reload, or the navigation to `?workspace=<id>`. */
  kind: 'first' | 'reload' | 'reattach';
  /** For messages: `first load`, `reload 2`, `re-attach`. */
  label: string;
  /** The page's URL once loaded. */
  url: string;
  /** Pod named by the page's `served-by` tag; null when it did not show. */
  pod: string | null;
  /** Workspace named by the page's `workspace-id` tag; null when it did not show. */
  workspace: string | null;
  /** From the navigation to the pod being shown, ms. */
  ms: number;
  /** HTTP responses the page got from the ingress during this load. */
  responses: number;
  /** Values of the sticky cookie that responses of this load set (empty once the session has one). */
  cookiesSet: string[];
  /** Why the pod was not shown. */
  error?: string;
}

/** A stream websocket a session opened. */
export interface SocketObservation {
  /** Its URL. */
  url: string;
  /** Index (in the session's loads) of the page load that opened it. */
  load: number;
  /** Opened, ms after the session started. */
  openedMs: number;
  /** Closed, ms after the session started; absent while open. */
  closedMs?: number;
  /** Frames received from the server. */
  frames: number;
  /** A socket error Chromium reported. */
  error?: string;
}

/** The hold of the first load's stream websocket. */
export interface HoldObservation {
  /** The websocket held; null when the first load opened none. */
  url: string | null;
  /** It stayed open for the whole hold. */
  held: boolean;
  /** How long it was watched (the hold, or until it closed), ms. */
  heldMs: number;
  /** Frames received before the hold began (a received frame proves the upgrade). */
  framesBefore: number;
  /** Frames received during the hold. */
  framesDuring: number;
  /** Why the hold ended early, other than a close. */
  error?: string;
}

/** Everything one browser session saw. */
export interface SessionRecord {
  /** 1-based session number. */
  id: number;
  /** Its page loads in order: first, reloads, re-attach. */
  loads: LoadObservation[];
  /** Every stream websocket it opened. */
  sockets: SocketObservation[];
  /** The hold of the first load's websocket. */
  hold: HoldObservation;
  /** The sticky cookie in its jar at the end; null when the ingress never set one. */
  cookie: string | null;
}

/** What the hold needs of a websocket (a Playwright WebSocket has it). */
export interface HeldSocket {
  /** Whether it has closed already. */
  isClosed(): boolean;
  /** Resolves on its close; rejects with Playwright's TimeoutError when none came within `timeout` ms. */
  waitForEvent(event: 'close', options: { timeout: number }): Promise<unknown>;
}

const SERVED_BY = OPENMS_LAYOUT.servedByTag;
const WORKSPACE = OPENMS_LAYOUT.workspaceTag;

/** Opens `plan.sessions` sessions at once, then more one by one until `plan.pods` pods are reached. */
export async function observeSessions(plan: SessionPlan): Promise<SessionRecord[]> {
  const browser = await launchChromium(plan.hostMapping ? { hostMapping: plan.hostMapping } : {});
  const abort = (): void => void browser.close().catch(() => undefined);
  plan.signal?.addEventListener('abort', abort, { once: true });
  try {
    const ids = Array.from({ length: plan.sessions }, (_, i) => i + 1);
    const sessions = await Promise.all(ids.map((id) => observeSession(browser, id, plan)));
    while (distinctPods(sessions) < plan.pods && sessions.length < plan.maxSessions && !plan.signal?.aborted) {
      sessions.push(await observeSession(browser, sessions.length + 1, plan));
    }
    return sessions;
  } finally {
    plan.signal?.removeEventListener('abort', abort);
    await browser.close();
  }
}

/** One session in a fresh context: first load, websocket hold, reloads, re-attach of its workspace. */
async function observeSession(browser: Browser, id: number, plan: SessionPlan): Promise<SessionRecord> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const loads: LoadObservation[] = [];
    const sockets = watchStreams(page, () => loads.length);
    const load = async (kind: LoadObservation['kind'], label: string, go: () => Promise<unknown>): Promise<LoadObservation> => {
      const seen = await observeLoad(page, { kind, label, timeoutMs: plan.renderTimeoutMs }, go);
      loads.push(seen);
      return seen;
    };
    const first = await load('first', 'first load', () => page.goto(plan.url('/')));
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

/** Navigates with `go` and waits until the page names its pod; failures become the record's error. */
async function observeLoad(
  page: Page,
  what: { kind: LoadObservation['kind']; label: string; timeoutMs: number },
  go: () => Promise<unknown>,
): Promise<LoadObservation> {
  const responses: Response[] = [];
  const onResponse = (response: Response): void => void responses.push(response);
  page.on('response', onResponse);
  const started = performance.now();
  const base = { kind: what.kind, label: what.label };
  try {
    await go();
    const tag = page.locator(SERVED_BY);
    await tag.waitFor({ state: 'attached', timeout: what.timeoutMs });
    const pod = await tag.getAttribute('data-hostname');
    const ms = Math.round(performance.now() - started);
    // The workspace tag follows the served-by tag in the same script run: it may land a moment later.
    const workspace = await page.locator(WORKSPACE).getAttribute('data-workspace', { timeout: 5_000 }).catch(() => null);
    return { ...base, url: page.url(), pod, workspace, ms, responses: responses.length, cookiesSet: await stickyCookiesSet(responses) };
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    const reason = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
    return { ...base, url: page.url(), pod: null, workspace: null, ms, responses: responses.length, cookiesSet: await stickyCookiesSet(responses), error: reason };
  } finally {
    page.off('response', onResponse);
  }
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

/** A stream websocket with what was recorded about it. */
export interface WatchedStream {
  /** The live websocket. */
  socket: HeldSocket;
  /** Its record, updated as frames arrive and when it closes. */
  record: Pick<SocketObservation, 'url' | 'frames'>;
}

interface StreamWatch {
  readonly records: SocketObservation[];
  latest(): WatchedStream | undefined;
}

/** Records every stream websocket of `page`, tagged with the load (`loadIndex()`) that opened it. */
function watchStreams(page: Page, loadIndex: () => number): StreamWatch {
  const started = performance.now();
  const since = (): number => Math.round(performance.now() - started);
  const records: SocketObservation[] = [];
  let latest: WatchedStream | undefined;
  page.on('websocket', (socket) => {
    if (!new URL(socket.url()).pathname.endsWith(STREAM_PATH)) return;
    const record: SocketObservation = { url: socket.url(), load: loadIndex(), openedMs: since(), frames: 0 };
    records.push(record);
    latest = { socket, record };
    socket.on('framereceived', () => void (record.frames += 1));
    socket.on('close', () => void (record.closedMs = since()));
    socket.on('socketerror', (message) => void (record.error = message));
  });
  return { records, latest: () => latest };
}

/**
 * Watches `socket` for `holdMs`: held when no close came within it. Playwright's wait for the close
 * event doubles as the hold's clock (a timeout there is the good outcome), so nothing sleeps.
 */
export async function holdStream(stream: WatchedStream | undefined, holdMs: number): Promise<HoldObservation> {
  if (!stream) return { url: null, held: false, heldMs: 0, framesBefore: 0, framesDuring: 0, error: `the first load opened no ${STREAM_PATH} websocket` };
  const { socket, record } = stream;
  const framesBefore = record.frames;
  const started = performance.now();
  const result = (held: boolean, error?: string): HoldObservation => ({
    url: record.url, held, heldMs: held ? holdMs : Math.round(performance.now() - started), framesBefore, framesDuring: record.frames - framesBefore, ...(error ? { error } : {}),
  });
  // A socket closed already would never fire close again: the wait would time out and pass as held.
  if (socket.isClosed()) return result(false);
  try {
    await socket.waitForEvent('close', { timeout: holdMs });
    return result(false);
  } catch (error) {
    if (error instanceof errors.TimeoutError) return result(true);
    return result(false, error instanceof Error ? error.message : String(error));
  }
}

/** How many different pods served any load of `sessions` (the verdicts' `podsReached` lists them). */
function distinctPods(sessions: readonly SessionRecord[]): number {
  return new Set(sessions.flatMap((s) => s.loads.flatMap((l) => (l.pod ? [l.pod] : [])))).size;
}
