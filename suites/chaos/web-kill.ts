// After the web pod under a live session is killed: the session must go on on another pod with the same
// workspace. Streamlit's page reconnects its websocket by itself; should it not within the grace below,
// the page is reloaded with `?workspace=<id>` (what a user would do) and the result says so.
import type { Harness } from '../../lib/suite.ts';
import { formatDuration, TimeoutError } from '../../lib/wait.ts';
import { measured, timed, type Looks } from './timed.ts';
import { sessionMovedOn, streamReopened, type SessionView, type WebSession } from '../../lib/browser/web-session.ts';

/** How long Streamlit's own reconnect is given before the page is reloaded. */
export const AUTO_RECONNECT_MS = 30_000;

/** Budget of the reconnect after a reload. */
export const RELOAD_RECONNECT_MS = 90_000;

/** How the session came back. */
export interface Reconnect {
  /** What the page showed once it was back. */
  view: SessionView;
  /** Whether the page had to be reloaded (Streamlit did not reconnect by itself in time). */
  reloaded: boolean;
  /** Kill to the page showing the session on another pod (ms). */
  killToSessionMs: number;
  /** Precision of that time: the gap between the last two looks at the page (ms). */
  precisionMs: number;
  /** Kill to the first new stream websocket (ms). */
  killToSocketMs?: number;
}

/** The lost pod and session: the pod killed, when (monotonic ms), and the workspace the page was on. */
export interface LostSession {
  /** The pod that was killed. */
  pod: string;
  /** The session's workspace. */
  workspace: string;
  /** When the kill was asked (monotonic ms). */
  killedAt: number;
}

/** Where to reload, and the two budgets (defaults: AUTO_RECONNECT_MS, RELOAD_RECONNECT_MS). */
export interface ReconnectOptions {
  /** The page with `?workspace=<id>`, loaded when Streamlit does not reconnect by itself. */
  reloadUrl: string;
  /** Grace for Streamlit's own reconnect (ms). */
  autoMs?: number;
  /** Budget after the reload (ms). */
  reloadMs?: number;
}

/** Waits for the session to continue on another pod, reloading the page once if Streamlit does not reconnect by itself. */
export async function awaitReconnect(
  h: Pick<Harness, 'waitFor' | 'step'>,
  session: WebSession,
  lost: LostSession,
  options: ReconnectOptions,
): Promise<Reconnect> {
  const looks: Looks = {};
  const condition = timed(sessionMovedOn(session, lost), looks);
  const autoMs = options.autoMs ?? AUTO_RECONNECT_MS;
  let reloaded = false;
  let seen;
  try {
    const reopened = await h.waitFor(streamReopened(session, lost.killedAt), { within: autoMs, interval: 250 });
    // The page cannot show another pod before its websocket reopened: the earliest moment the session can be
    // back. Waiting for the view only from then on keeps the look interval, and so the precision, short.
    looks.lastMissAt = reopened.value?.at;
    seen = await h.waitFor(condition, { within: autoMs, interval: 250 });
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    reloaded = true;
    await h.step(
      `the page is reloaded with ?workspace=${lost.workspace} (no reconnect by itself within ${formatDuration(autoMs)}: ${error.lastObserved})`,
      () => session.goto(options.reloadUrl),
    );
    seen = await h.waitFor(condition, { within: options.reloadMs ?? RELOAD_RECONNECT_MS, interval: 250 });
  }
  const socket = session.openedSince(lost.killedAt);
  const { ms, precisionMs } = measured(looks, lost.killedAt, performance.now());
  return {
    view: seen.value ?? {},
    reloaded,
    killToSessionMs: ms,
    precisionMs,
    killToSocketMs: socket ? Math.round(socket.at - lost.killedAt) : undefined,
  };
}
