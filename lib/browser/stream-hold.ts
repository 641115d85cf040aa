// Holding Streamlit's stream websocket: every one a page opens is recorded with the load that opened it,
// and the latest is then watched for a set time (held when it did not close).
import { errors, type Page } from 'playwright-core';
import { STREAM_PATH, type HoldObservation, type SocketObservation } from './session-records.ts';

/** What the hold needs of a websocket (a Playwright WebSocket has it). */
export interface HeldSocket {
  /** Whether it has closed already. */
  isClosed(): boolean;
  /** Resolves on its close; rejects with Playwright's TimeoutError when none came within `timeout` ms. */
  waitForEvent(event: 'close', options: { timeout: number }): Promise<unknown>;
}

/** A stream websocket with what was recorded about it. */
export interface WatchedStream {
  /** The live websocket. */
  socket: HeldSocket;
  /** Its record, updated as frames arrive and when it closes. */
  record: Pick<SocketObservation, 'url' | 'frames'>;
}

/** The stream websockets of one page. */
export interface StreamWatch {
  readonly records: SocketObservation[];
  latest(): WatchedStream | undefined;
}

/**
 * Records every stream websocket of `page`, tagged with the load (`loadIndex()`) that opened it, and
 * the pod `identify` finds in its frames (the first frame that names one).
 */
export function watchStreams(
  page: Page,
  loadIndex: () => number,
  identify: (payload: string | Buffer) => string | undefined = () => undefined,
): StreamWatch {
  const started = performance.now();
  const since = (): number => Math.round(performance.now() - started);
  const records: SocketObservation[] = [];
  let latest: WatchedStream | undefined;
  page.on('websocket', (socket) => {
    if (!new URL(socket.url()).pathname.endsWith(STREAM_PATH)) return;
    const record: SocketObservation = { url: socket.url(), load: loadIndex(), openedMs: since(), frames: 0 };
    records.push(record);
    latest = { socket, record };
    socket.on('framereceived', ({ payload }) => {
      record.frames += 1;
      record.pod ??= identify(payload);
    });
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
  if (!stream)
    return {
      url: null,
      held: false,
      heldMs: 0,
      framesBefore: 0,
      framesDuring: 0,
      error: `the first load opened no ${STREAM_PATH} websocket`,
    };
  const { socket, record } = stream;
  const framesBefore = record.frames;
  const started = performance.now();
  const result = (held: boolean, error?: string): HoldObservation => ({
    url: record.url,
    held,
    heldMs: held ? holdMs : Math.round(performance.now() - started),
    framesBefore,
    framesDuring: record.frames - framesBefore,
    ...(error ? { error } : {}),
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
