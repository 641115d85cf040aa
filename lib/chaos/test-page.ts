// A stand-in for a Playwright page in the chaos unit tests: it shows a chosen session view and lets a
// test open websockets on it, so the session logic is tested without a browser.
import type { SessionPage, SessionView } from './web-session.ts';

/** A page that shows `view` and lets the test open websockets on it. */
export class FakePage {
  /** What the page shows. */
  view: SessionView = {};
  /** URLs loaded, in order. */
  readonly visited: string[] = [];
  /** Whether the page was closed. */
  closed = false;
  private onSocket: ((socket: { url(): string }) => void) | undefined;

  /** The fake as the page type a WebSession takes. */
  asPage(): SessionPage {
    return {
      on: (event: string, handler: (socket: { url(): string }) => void) => {
        if (event === 'websocket') this.onSocket = handler;
      },
      goto: (url: string) => {
        this.visited.push(url);
        return Promise.resolve(null);
      },
      evaluate: () => Promise.resolve(this.view),
      close: () => {
        this.closed = true;
        return Promise.resolve();
      },
    } as unknown as SessionPage;
  }

  /** Opens a websocket to `url` on the page. */
  openSocket(url: string): void {
    this.onSocket?.({ url: () => url });
  }
}
