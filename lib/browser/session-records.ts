// What a browser session observed through the ingress, load by load: the records the sessions check
// and the chaos suite's web-session check are judged on, and the names of the cookie and websocket.
import { OPENMS_LAYOUT } from '../drivers/openms.ts';

/** The ingress's sticky cookie (Traefik Service annotation, nginx session-cookie-name). */
export const STICKY_COOKIE = OPENMS_LAYOUT.stickyCookie;
/** Streamlit's websocket path. */
export const STREAM_PATH = OPENMS_LAYOUT.stream;

/** One page load of a session. */
export interface LoadObservation {
  /** The first load, a reload, or the navigation to `?workspace=<id>`. */
  kind: 'first' | 'reload' | 'reattach';
  /** For messages: `first load`, `reload 2`, `re-attach`. */
  label: string;
  /** The page's URL once loaded. */
  url: string;
  /** Pod whose installation id came on this load's stream websocket; null when none did. */
  pod: string | null;
  /** Workspace the page's URL names (`?workspace=<id>`); null when it named none. */
  workspace: string | null;
  /** Pod whose uuid node the workspace id carries (a workspace the app made on this load); null otherwise. */
  workspacePod?: string | null;
  /** From the navigation to the pod being known, ms. */
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
  /** The pod whose installation id a frame carried. */
  pod?: string;
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
