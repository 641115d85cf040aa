// One browser session on the Streamlit app, watched across a web pod kill: every websocket the page
// opens to Streamlit's stream endpoint (with when, and the pod whose installation id its frames carry),
// and the workspace the page's URL names.
import type { Browser, Page } from 'playwright-core';
import { podOfFrame, workspaceOfUrl, type WebPodIdentity } from './pod-identity.ts';
import { STREAM_PATH } from './session-records.ts';
import type { Condition } from '../wait.ts';

/** A stream websocket the page opened. */
export interface StreamOpen {
  /** The websocket's URL. */
  url: string;
  /** When it was opened (monotonic ms). */
  at: number;
  /** The web pod whose installation id its frames carried, once one did. */
  pod?: string;
  /** Its first frames, kept until one names a pod (a pod started after the identities were read is learnt later). */
  frames: string[];
}

/** Frames kept per websocket while no pod is named; Streamlit's NewSession message comes among the first. */
const KEPT_FRAMES = 50;
/** How often the identities are read again while the latest websocket names no known pod (ms). */
const REFRESH_EVERY_MS = 5000;

/** What the session shows of itself. */
export interface SessionView {
  /** Pod serving the session (named by its latest stream websocket); undefined while none is known. */
  servedBy?: string;
  /** Workspace the session is attached to (the URL's `?workspace=`). */
  workspace?: string;
}

/** The page of a session, as far as the chaos checks use it. */
export type SessionPage = Pick<Page, 'on' | 'goto' | 'url' | 'close'>;

/** A browser session on the app. */
export class WebSession {
  /** Every stream websocket opened so far, oldest first. */
  readonly opens: StreamOpen[] = [];

  #identities: readonly WebPodIdentity[];
  #refreshedAt = Number.NEGATIVE_INFINITY;

  constructor(
    /** The page. */
    readonly page: SessionPage,
    /** What tells the web pods apart. */
    identities: readonly WebPodIdentity[],
    private readonly now: () => number = () => performance.now(),
    /** Reads the identities of the web pods now (a killed pod's replacement has an installation id of its own). */
    private readonly refresh?: () => Promise<readonly WebPodIdentity[]>,
  ) {
    this.#identities = identities;
    page.on('websocket', (socket) => {
      if (!new URL(socket.url()).pathname.endsWith(STREAM_PATH)) return;
      const open: StreamOpen = { url: socket.url(), at: this.now(), frames: [] };
      this.opens.push(open);
      socket.on('framereceived', ({ payload }) => {
        if (open.pod !== undefined) return;
        open.pod = podOfFrame(payload, this.#identities);
        if (open.pod === undefined && open.frames.length < KEPT_FRAMES) open.frames.push(frameText(payload));
        if (open.pod !== undefined) open.frames = [];
      });
    });
  }

  /** Opens a fresh context and page in `browser` (so no cookie of another session leaks in) on `url`. */
  static async open(
    browser: Pick<Browser, 'newContext'>,
    url: string,
    identities: readonly WebPodIdentity[],
    refresh?: () => Promise<readonly WebPodIdentity[]>,
  ): Promise<WebSession> {
    const context = await browser.newContext();
    const session = new WebSession(await context.newPage(), identities, undefined, refresh);
    await session.goto(url);
    return session;
  }

  /** Loads `url` and waits for the page's DOM. */
  async goto(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  }

  /** What the session shows now: the pod of its latest stream websocket, the workspace of its URL. */
  async view(): Promise<SessionView> {
    await this.#learnPods();
    const servedBy = this.opens.at(-1)?.pod;
    const workspace = workspaceOfUrl(this.page.url());
    return { ...(servedBy ? { servedBy } : {}), ...(workspace ? { workspace } : {}) };
  }

  /** When the latest websocket's frames name no pod read so far, reads the pods again and looks again. */
  async #learnPods(): Promise<void> {
    const latest = this.opens.at(-1);
    if (!this.refresh || !latest || latest.pod !== undefined || latest.frames.length === 0) return;
    if (this.now() - this.#refreshedAt < REFRESH_EVERY_MS) return;
    this.#refreshedAt = this.now();
    this.#identities = await this.refresh();
    latest.pod = latest.frames.map((frame) => podOfFrame(frame, this.#identities)).find((pod) => pod !== undefined);
  }

  /** The first stream websocket opened at or after `since`. */
  openedSince(since: number): StreamOpen | undefined {
    return this.opens.find((open) => open.at >= since);
  }

  /** Closes the page. */
  async close(): Promise<void> {
    await this.page.close();
  }
}

/** The page shows a session: some pod serves it and it is attached to a workspace. */
export function sessionShown(session: WebSession): Condition<SessionView> {
  return {
    what: "the session's stream to name the pod serving it and its URL the workspace",
    check: async () => {
      const view = await session.view();
      return { ok: Boolean(view.servedBy && view.workspace), observed: describeView(view), value: view };
    },
  };
}

/** The page has opened a stream websocket at or after `since` (monotonic ms). */
export function streamReopened(session: WebSession, since: number): Condition<StreamOpen> {
  return {
    what: `the page to open a new ${STREAM_PATH} websocket`,
    check: () => {
      const open = session.openedSince(since);
      return Promise.resolve({ ok: open !== undefined, observed: open ? `opened ${open.url}` : 'no new websocket yet', value: open });
    },
  };
}

/**
 * The session continues after pod `killed` died at `killedAt`: a new stream websocket was opened since,
 * and the page is served by another pod and still attached to `workspace`.
 */
export function sessionMovedOn(session: WebSession, lost: { pod: string; workspace: string; killedAt: number }): Condition<SessionView> {
  return {
    what: `the session of workspace ${lost.workspace} to reconnect to a web pod other than ${lost.pod}`,
    check: async () => {
      const view = await session.view();
      const reopened = session.openedSince(lost.killedAt) !== undefined;
      const moved = view.servedBy !== undefined && view.servedBy !== lost.pod;
      const ok = reopened && moved && view.workspace === lost.workspace;
      return { ok, observed: `${describeView(view)}; ${reopened ? 'websocket reopened' : 'no new websocket yet'}`, value: view };
    },
  };
}

function frameText(payload: string | Buffer): string {
  return typeof payload === 'string' ? payload : payload.toString('latin1');
}

function describeView(view: SessionView): string {
  return `served by ${view.servedBy ?? 'no pod shown'}, workspace ${view.workspace ?? 'none shown'}`;
}
