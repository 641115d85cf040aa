import { expect } from 'chai';
import { FAKE_PODS, FakePage } from '../../fixtures/support/fake-session-page.ts';
import { sessionMovedOn, sessionShown, streamReopened, WebSession } from './web-session.ts';

const signal = new AbortController().signal;

describe('browser/web-session', () => {
  it('records only stream websockets, with when they opened', () => {
    const fake = new FakePage();
    let clock = 0;
    const session = new WebSession(fake.asPage(), FAKE_PODS, () => (clock += 100));
    fake.openSocket('ws://127.0.0.1:18080/_stcore/stream');
    fake.openSocket('ws://127.0.0.1:18080/other');
    fake.openSocket('ws://127.0.0.1:18080/_stcore/stream?x=1');
    expect(session.opens.map(({ url, at }) => ({ url, at }))).to.deep.equal([
      { url: 'ws://127.0.0.1:18080/_stcore/stream', at: 100 },
      { url: 'ws://127.0.0.1:18080/_stcore/stream?x=1', at: 200 },
    ]);
    expect(session.openedSince(150)?.at).to.equal(200);
    expect(session.openedSince(250)).to.equal(undefined);
  });

  it('sessionShown waits for both the pod and the workspace', async () => {
    const fake = new FakePage();
    const condition = sessionShown(new WebSession(fake.asPage(), FAKE_PODS));
    fake.openSocket('ws://h/_stcore/stream');
    fake.view = { servedBy: 'web-a' };
    expect((await condition.check(signal)).observed).to.equal('served by web-a, workspace none shown');
    fake.view = { servedBy: 'web-a', workspace: 'ws-1' };
    expect((await condition.check(signal)).ok).to.equal(true);
  });

  it('sessionMovedOn needs a new websocket, another pod and the same workspace', async () => {
    const fake = new FakePage();
    let clock = 0;
    const session = new WebSession(fake.asPage(), FAKE_PODS, () => clock);
    fake.openSocket('ws://h/_stcore/stream');
    clock = 1_000;
    const condition = sessionMovedOn(session, { pod: 'web-a', workspace: 'ws-1', killedAt: 500 });
    fake.view = { servedBy: 'web-a', workspace: 'ws-1' };
    expect(await condition.check(signal)).to.deep.include({ ok: false, observed: 'served by web-a, workspace ws-1; no new websocket yet' });
    fake.openSocket('ws://h/_stcore/stream');
    fake.view = { servedBy: 'web-b', workspace: 'ws-2' };
    expect((await condition.check(signal)).ok).to.equal(false);
    fake.view = { servedBy: 'web-b', workspace: 'ws-1' };
    expect(await condition.check(signal)).to.deep.include({ ok: true, observed: 'served by web-b, workspace ws-1; websocket reopened' });
  });

  it('streamReopened holds once a stream websocket opened since the given moment', async () => {
    const fake = new FakePage();
    let clock = 0;
    const session = new WebSession(fake.asPage(), FAKE_PODS, () => clock);
    fake.openSocket('ws://h/_stcore/stream');
    const condition = streamReopened(session, 10);
    expect(await condition.check(signal)).to.deep.include({ ok: false, observed: 'no new websocket yet' });
    clock = 20;
    fake.openSocket('ws://h/_stcore/stream');
    expect(await condition.check(signal)).to.deep.include({ ok: true, observed: 'opened ws://h/_stcore/stream' });
  });

  it('opens a page in a context of its own and closes it', async () => {
    const fake = new FakePage();
    const browser = { newContext: () => Promise.resolve({ newPage: () => Promise.resolve(fake.asPage()) }) };
    const session = await WebSession.open(browser as never, 'http://h/', FAKE_PODS);
    expect(fake.visited).to.deep.equal(['http://h/']);
    await session.close();
    expect(fake.closed).to.equal(true);
  });

  it("learns a pod started after the identities were read (a killed pod's replacement) from the frames it kept", async () => {
    const fake = new FakePage();
    let clock = 0;
    const replacement = { pod: 'web-c', hostname: 'web-c', node: '020000000009', installation_id: 'install-web-c' };
    let reads = 0;
    const refresh = (): Promise<typeof FAKE_PODS> => Promise.resolve(((reads += 1), [...FAKE_PODS, replacement]));
    const session = new WebSession(fake.asPage(), FAKE_PODS, () => clock, refresh);
    fake.openSocket('ws://h/_stcore/stream');
    fake.receive('\n$install-web-c\u0012');
    fake.view = { workspace: 'ws-1' };
    expect(await session.view()).to.deep.equal({ servedBy: 'web-c', workspace: 'ws-1' });
    expect(reads).to.equal(1);
    // Frames that name no pod at all are looked at again only every few seconds.
    fake.openSocket('ws://h/_stcore/stream');
    fake.receive('no id here');
    clock = 1000;
    expect(await session.view()).to.deep.equal({ workspace: 'ws-1' });
    expect(reads).to.equal(1);
    clock = 7000;
    await session.view();
    expect(reads).to.equal(2);
  });
});
