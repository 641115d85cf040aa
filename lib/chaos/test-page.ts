// A stand-in for a Playwright page in the chaos unit tests: a test sets the session view it wants (the
// pod serving the latest stream websocket, the workspace in the URL) and opens websockets on it, so the
// session logic is tested without a browser. The pods' identities are FAKE_PODS.
import type { WebPodIdentity } from '../browser/pod-identity.ts';
import type { SessionPage, SessionView } from './web-session.ts';

/** The web pods the fake page can be served by, each with its installation id `install-<pod>`. */
export const FAKE_PODS: readonly WebPodIdentity[] = ['web-a', 'web-b'].map((pod, i) => ({
  pod,
  hostname: pod,
  node: `02000000000${i}`,
  installation_id: `install-${pod}`,
}));

type FrameHandler = (frame: { payload: string }) => void;
interface FakeSocket {
  url(): string;
  on(event: string, handler: FrameHandler): void;
}

/** A page whose session view a test sets, and on which it opens websockets. */
export class FakePage {
  /** URLs loaded, in order. */
  readonly visited: string[] = [];
  /** Whether the page was closed. */
  closed = false;
  private url = 'http://h/';
  private onSocket: ((socket: FakeSocket) => void) | undefined;
  private lastFrames: FrameHandler | undefined;

  /** Shows `view`: the latest stream websocket receives the pod's installation id, the URL names the workspace. */
  set view(view: SessionView) {
    this.url = view.workspace ? `http://h/?workspace=${view.workspace}` : 'http://h/';
    const pod = FAKE_PODS.find((p) => p.pod === view.servedBy);
    if (pod) this.lastFrames?.({ payload: `\n$${pod.installation_id}\u0012` });
  }

  /** The fake as the page type a WebSession takes. */
  asPage(): SessionPage {
    return {
      on: (event: string, handler: (socket: FakeSocket) => void) => {
        if (event === 'websocket') this.onSocket = handler;
      },
      goto: (url: string) => {
        this.visited.push(url);
        return Promise.resolve(null);
      },
      url: () => this.url,
      close: () => {
        this.closed = true;
        return Promise.resolve();
      },
    } as unknown as SessionPage;
  }

  /** The latest stream websocket receives a frame with this text. */
  receive(payload: string): void {
    this.lastFrames?.({ payload });
  }

  /** Opens a websocket to `url` on the page. */
  openSocket(url: string): void {
    const handlers: FrameHandler[] = [];
    this.onSocket?.({ url: () => url, on: (event, handler) => void (event === 'framereceived' && handlers.push(handler)) });
    if (handlers.length > 0) this.lastFrames = (frame) => handlers.forEach((handler) => handler(frame));
  }
}
