import { expect } from 'chai';
import type { Harness } from '../../lib/suite.ts';
import { waitFor } from '../../lib/wait.ts';
import { FAKE_PODS, FakePage } from '../../fixtures/support/fake-session-page.ts';
import { awaitReconnect } from './web-kill.ts';
import { WebSession } from '../../lib/browser/web-session.ts';

/** The harness's step and wait without events, with short pauses; keeps the step titles. */
function fakeHarness(titles: string[]): Pick<Harness, 'waitFor' | 'step'> {
  return {
    waitFor: (condition, options) => waitFor(condition, { within: Number(options.within), interval: 5 }),
    step: async (title, fn) => {
      titles.push(title);
      return fn();
    },
  };
}

const STREAM = 'ws://h/_stcore/stream';

describe('chaos/web-kill', () => {
  it("takes Streamlit's own reconnect when it comes", async () => {
    const fake = new FakePage();
    const session = new WebSession(fake.asPage(), FAKE_PODS);
    fake.openSocket(STREAM);
    fake.view = { servedBy: 'web-a', workspace: 'ws-1' };
    const killedAt = performance.now();
    setTimeout(() => {
      fake.openSocket(STREAM);
      fake.view = { servedBy: 'web-b', workspace: 'ws-1' };
    }, 20);
    const titles: string[] = [];
    const back = await awaitReconnect(
      fakeHarness(titles),
      session,
      { pod: 'web-a', workspace: 'ws-1', killedAt },
      { reloadUrl: 'http://h/?workspace=ws-1' },
    );
    expect(back.reloaded).to.equal(false);
    expect(back.view).to.deep.equal({ servedBy: 'web-b', workspace: 'ws-1' });
    expect(back.killToSocketMs).to.be.within(10, 1_000);
    expect(back.killToSessionMs).to.be.at.least(back.killToSocketMs ?? 0);
    expect(back.precisionMs).to.be.greaterThan(0);
    expect(titles).to.deep.equal([]);
    expect(fake.visited).to.deep.equal([]);
  });

  it('reloads the page with the workspace when Streamlit does not reconnect by itself, and says so', async () => {
    const fake = new FakePage();
    const session = new WebSession(fake.asPage(), FAKE_PODS);
    fake.openSocket(STREAM);
    fake.view = { servedBy: 'web-a', workspace: 'ws-1' };
    const page = fake.asPage();
    const goto = page.goto.bind(page);
    session.page.goto = async (url, options) => {
      fake.openSocket(STREAM);
      fake.view = { servedBy: 'web-b', workspace: 'ws-1' };
      return goto(url, options);
    };
    const titles: string[] = [];
    const lost = { pod: 'web-a', workspace: 'ws-1', killedAt: performance.now() };
    const back = await awaitReconnect(fakeHarness(titles), session, lost, {
      reloadUrl: 'http://h/?workspace=ws-1',
      autoMs: 50,
      reloadMs: 1_000,
    });
    expect(back.reloaded).to.equal(true);
    expect(fake.visited).to.deep.equal(['http://h/?workspace=ws-1']);
    expect(titles).to.deep.equal(['the page is reloaded with ?workspace=ws-1 (no reconnect by itself within 50ms: no new websocket yet)']);
  });

  it('fails naming what the page showed when the session never comes back', async () => {
    const fake = new FakePage();
    const session = new WebSession(fake.asPage(), FAKE_PODS);
    fake.openSocket(STREAM);
    fake.view = { servedBy: 'web-a', workspace: 'ws-1' };
    const lost = { pod: 'web-a', workspace: 'ws-1', killedAt: performance.now() };
    const error: unknown = await awaitReconnect(fakeHarness([]), session, lost, { reloadUrl: 'http://h/', autoMs: 30, reloadMs: 30 }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).to.match(
      /^Timed out after 30ms waiting for the session of workspace ws-1 to reconnect to a web pod other than web-a \(last seen: served by web-a, workspace ws-1; no new websocket yet\)$/,
    );
  });
});
