import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunEvent, RunEventBody } from '../events.ts';
import type { HistoryEntry } from '../history.ts';
import { runBegin, runEnd, stamp, suite, trial } from '../../../fixtures/support/recorded-events.ts';
import { renderHtml } from './html.ts';

const nightly = (): RunEvent[] =>
  readFileSync(fileURLToPath(new URL('../../../fixtures/runs/openms-nightly-failed/events.jsonl', import.meta.url)), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);

describe('index.html', () => {
  it('is one self-contained file: no scripts, no external URLs, no fonts, a CSP that forbids fetches', () => {
    const html = renderHtml(nightly());
    expect(html).not.to.match(/<script/i);
    expect(html).not.to.match(/<link/i);
    expect(html).not.to.match(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.to.match(/@import|@font-face|url\(/i);
    expect(html).to.include(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).to.match(/^(#|artifacts\/)/);
  });

  it('opens with the verdict, then the suite summary, suites, recovery, metrics and sign-off in that order', () => {
    const html = renderHtml(nightly());
    const order = [
      '<header class="verdict failed"',
      '<h1>FAILED</h1>',
      'id="summary"',
      'id="s-0"',
      'id="recovery"',
      'id="metrics"',
      'id="sign-off"',
    ].map((m) => html.indexOf(m));
    expect(order.every((at) => at > 0)).to.equal(true);
    expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
    expect(html.slice(html.indexOf('<body>'), html.indexOf('<header'))).to.match(/^<body>\s*$/);
    expect(html).to.include('14 checks: 10 passed, 2 failed, 2 skipped');
  });

  it('escapes every string that came from events', () => {
    const evil = '<script>alert("x")</script>&<img src=x onerror=alert(1)>';
    const bodies: RunEventBody[] = [
      runBegin({}, evil),
      ...suite('smoke', [[evil, 'failed', evil]]),
      { kind: 'artifact', suite: 'smoke', test: evil, path: 'javascript:alert(1)', contentType: evil, title: evil },
      { kind: 'metric', name: evil, value: 1, unit: evil },
      { kind: 'log', level: 'warn', message: evil },
      runEnd('failed', 1),
    ];
    const html = renderHtml(stamp(bodies));
    expect(html).not.to.include('<script>');
    expect(html).not.to.include('<img');
    expect(html).not.to.include('href="javascript:');
    expect(html).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('shows recovery charts only when the run recorded trials', () => {
    const without = renderHtml(stamp([runBegin(), ...suite('smoke', [['a', 'passed']]), runEnd('passed', 0)]));
    expect(without).not.to.include('id="recovery"');
    expect(without).not.to.include('<svg');
    const withTrials = renderHtml(
      stamp([runBegin(), trial('worker-node-down', 1, 330_000), trial('worker-node-down', 2, 320_000), runEnd('failed', 1)]),
    );
    expect(withTrials).to.include('id="recovery"');
    expect(withTrials).to.include('Recovery time distribution of worker-node-down');
    expect(withTrials).to.include('Recovery phases of worker-node-down, one row per trial');
    expect(withTrials).to.match(/<g class="slo"><line [^>]*\/><text[^>]*>SLO 5 min<\/text>/);
    expect(withTrials).to.match(/<g class="floor"><line [^>]*\/><text[^>]*>floor 1 min<\/text>/);
    expect(withTrials.match(/<g class="pmark">/g)).to.have.length(2);
    expect(withTrials).to.include('Why a dead node takes over 5 minutes');
  });

  it('labels every chart for screen readers and repeats its numbers in tables', () => {
    const html = renderHtml(nightly());
    const svgs = html.match(/<svg[^>]*>\n<title id="[^"]+">[^<]+<\/title><desc id="[^"]+">[^<]+<\/desc>/g) ?? [];
    expect(svgs).to.have.length(html.match(/<svg/g)?.length ?? -1);
    expect(svgs.length).to.equal(6);
    expect(html).to.include('<caption>Recovery percentiles per scenario (nearest rank, seconds)</caption>');
    expect(html).to.match(/<td>worker-node-down<\/td><td>3<\/td><td>0<\/td><td>335.5<\/td><td>337.8<\/td><td>337.8<\/td>/);
  });

  it('states the precision of timings', () => {
    const html = renderHtml(nightly());
    expect(html).to.include('precise to ±1.0 s');
    expect(html).to.include('<td>41.2 s</td><td>± 500 ms</td>');
  });

  it('draws the trend only when history is given, up to this run', () => {
    const events = nightly();
    expect(renderHtml(events)).not.to.include('id="history"');
    const history: HistoryEntry[] = [
      { runId: '20261120-020001-aaaa', startedAt: '2026-11-20T02:00:01.000Z', status: 'passed', durationMs: 2_500_000, suites: [] },
      {
        runId: '20261121-020002-bbbb',
        startedAt: '2026-11-21T02:00:02.000Z',
        status: 'failed',
        durationMs: 2_600_000,
        suites: [{ name: 'chaos', status: 'failed' }],
      },
      { runId: '20261123-020002-cccc', startedAt: '2026-11-23T02:00:02.000Z', status: 'passed', durationMs: 2_600_000, suites: [] },
    ];
    const html = renderHtml(events, { history });
    expect(html).to.include('id="history"');
    expect(html).to.include('Verdict and duration of the last 3 runs');
    expect(html.match(/<g class="bar /g)).to.have.length(3);
    expect(html).to.include('<g class="bar failed current">');
    expect(html).not.to.include('20261123-020002-cccc');
  });

  it('ends with a sign-off block naming tool, cluster, stack and blank signature fields', () => {
    const html = renderHtml(nightly());
    const signOff = html.slice(html.indexOf('id="sign-off"'));
    for (const fact of [
      'mip-verify 0.1.0',
      'kind “mip-verify”, Kubernetes v1.33.13',
      'mip-verify-worker2 (worker, kubelet v1.33.13)',
      'openms from <code>fixtures/stacks/openms</code>',
      'mip-verify.local/redis:7.0.15',
      '2026-11-22 02:00:03 UTC',
    ]) {
      expect(signOff).to.include(fact);
    }
    for (const field of ['Signed off by', 'Date', 'Signature'])
      expect(signOff).to.include(`<tr><th scope="row">${field}</th><td></td></tr>`);
    expect(signOff, 'no image of this run was built from a checkout').not.to.include('built from');
  });

  it('says which checkout each image built from one came from: its commit, or the digest of its files', () => {
    const commit = '3f1c0de8a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const digest = `sha256:9f86d081884c${'0'.repeat(52)}`;
    const sources = {
      'mip-verify.local/openms-streamlit:2026.11.1': {
        digest,
        revision: commit,
        dirty: false,
        url: 'https://github.com/OpenMS/streamlit-template.git',
      },
      'mip-verify.local/redis:7.0.15': { digest },
    };
    const events = nightly();
    const at = events.findIndex((e) => e.kind === 'stack.ready') + 1;
    const ready = events[at - 1] as RunEvent;
    const pinned: RunEvent = { v: 1, seq: ready.seq, at: ready.at, kind: 'stack.images', imageIds: {}, sources };
    const withSources = [...events.slice(0, at), pinned, ...events.slice(at)];
    const html = renderHtml(withSources);
    const signOff = html.slice(html.indexOf('id="sign-off"'));
    expect(signOff).to.include(
      `streamlit: <code>mip-verify.local/openms-streamlit:2026.11.1</code> <small>built from commit <code title="${commit}">3f1c0de8a1b2</code> of <code>https://github.com/OpenMS/streamlit-template.git</code></small>`,
    );
    expect(signOff).to.include(
      `redis: <code>mip-verify.local/redis:7.0.15</code> <small>built from content <code title="${digest}">sha256:9f86d081884c</code></small>`,
    );
    sources['mip-verify.local/openms-streamlit:2026.11.1'].dirty = true;
    expect(renderHtml(withSources)).to.include(
      `3f1c0de8a1b2</code> (dirty; content <code title="${digest}">sha256:9f86d081884c</code>) of`,
    );
  });
});
