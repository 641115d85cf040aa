// Progress for long operations: on a terminal one live line that rewrites itself with the elapsed
// seconds; in CI or a pipe plain `HH:MM:SS text` lines, because logs keep every line.

/** Where long operations report what they are doing. */
export interface Progress {
  /** What is happening now (replaces the previous line on a terminal). */
  line(text: string): void;
  /** The operation finished: prints the final text and stops the live line. */
  done(text: string): void;
}

/** How progress is shown. */
export interface ProgressOptions {
  /** Running in CI: plain timestamped lines even on a terminal. */
  ci: boolean;
  /** Clock (tests fix it). */
  now?: () => Date;
}

const CLEAR_LINE = '\r\x1b[2K';

/** Progress on `stream`: live on a terminal, timestamped lines otherwise. */
export function createProgress(stream: NodeJS.WriteStream, options: ProgressOptions): Progress {
  const now = options.now ?? (() => new Date());
  if (options.ci || !stream.isTTY) return plainProgress(stream, now);
  return liveProgress(stream, now);
}

/** `HH:MM:SS text` in local time. */
export function stamp(text: string, at: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())} ${text}`;
}

function plainProgress(stream: NodeJS.WriteStream, now: () => Date): Progress {
  let last = '';
  const write = (text: string): void => {
    stream.write(`${stamp(text, now())}\n`);
  };
  return {
    line(text) {
      // a poll loop reports the same state again and again; a log needs it once
      if (text !== last) write(text);
      last = text;
    },
    done(text) {
      last = '';
      write(text);
    },
  };
}

function liveProgress(stream: NodeJS.WriteStream, now: () => Date): Progress {
  let text = '';
  let since = now().getTime();
  let timer: NodeJS.Timeout | undefined;
  const render = (): void => {
    const seconds = Math.floor((now().getTime() - since) / 1000);
    stream.write(`${CLEAR_LINE}${text} (${seconds}s)`);
  };
  return {
    line(next) {
      if (timer === undefined) {
        since = now().getTime();
        // the timer only repaints the elapsed seconds; it must never keep the process alive
        timer = setInterval(render, 1000).unref();
      }
      text = next;
      render();
    },
    done(final) {
      clearInterval(timer);
      timer = undefined;
      stream.write(`${CLEAR_LINE}${final}\n`);
    },
  };
}
