import { expect } from 'chai';
import { errors } from 'playwright-core';
import { stickyCookieValues } from './sessions.ts';
import { holdStream, type HeldSocket } from './stream-hold.ts';

const URL = 'ws://127.0.0.1:18080/_stcore/stream';

/** A websocket whose close wait ends as `outcome` says, receiving `frames` frames meanwhile. */
function fakeSocket(outcome: 'timeout' | 'close' | 'error' | 'closed already', record: { frames: number }, frames = 3): HeldSocket {
  return {
    isClosed: () => outcome === 'closed already',
    waitForEvent: (_event, options) => {
      record.frames += frames;
      if (outcome === 'timeout')
        return Promise.reject(new errors.TimeoutError(`Timeout ${options.timeout}ms exceeded while waiting for event "close"`));
      if (outcome === 'error') return Promise.reject(new Error('Target page, context or browser has been closed'));
      return Promise.resolve(undefined);
    },
  };
}

describe('browser/sessions', () => {
  describe('stickyCookieValues', () => {
    it('reads the sticky cookie among several Set-Cookie lines', () => {
      const header = '_streamlit_xsrf=2|ab; Path=/\nstroute=0edde9f962afb428; Path=/; HttpOnly; SameSite=Lax';
      expect(stickyCookieValues(header)).to.deep.equal(['0edde9f962afb428']);
    });

    it('ignores other cookies and look-alike names', () => {
      expect(stickyCookieValues('xstroute=1; Path=/\nother=stroute=2')).to.deep.equal([]);
    });
  });

  describe('holdStream', () => {
    it('counts a socket that saw no close within the hold as held, with the frames during it', async () => {
      const record = { url: URL, frames: 2 };
      const hold = await holdStream({ socket: fakeSocket('timeout', record), record }, 10_000);
      expect(hold).to.deep.equal({ url: URL, held: true, heldMs: 10_000, framesBefore: 2, framesDuring: 3 });
    });

    it('counts a close during the hold as not held', async () => {
      const record = { url: URL, frames: 2 };
      const hold = await holdStream({ socket: fakeSocket('close', record), record }, 10_000);
      expect(hold.held).to.equal(false);
      expect(hold.error).to.equal(undefined);
      expect(hold.heldMs).to.be.below(10_000);
    });

    it('does not mistake a socket closed before the hold for a held one', async () => {
      const record = { url: URL, frames: 5 };
      const hold = await holdStream({ socket: fakeSocket('closed already', record), record }, 10_000);
      expect(hold).to.include({ held: false, framesBefore: 5, framesDuring: 0 });
    });

    it('keeps any other failure of the wait as the error', async () => {
      const record = { url: URL, frames: 1 };
      const hold = await holdStream({ socket: fakeSocket('error', record), record }, 10_000);
      expect(hold).to.include({ held: false, error: 'Target page, context or browser has been closed' });
    });

    it('says so when the first load opened no stream websocket', async () => {
      const hold = await holdStream(undefined, 10_000);
      expect(hold).to.include({ url: null, held: false });
      expect(hold.error).to.match(/opened no \/_stcore\/stream websocket/);
    });
  });
});
