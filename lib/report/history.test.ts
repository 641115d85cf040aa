import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendHistory, readHistory } from './history.ts';
import { runBegin, runEnd, stamp, suite } from '../../fixtures/support/recorded-events.ts';

describe('history', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'history-'));
    file = join(dir, 'history.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends one line per run with the computed verdict and suite statuses', async () => {
    await appendHistory(file, stamp([runBegin(), ...suite('smoke', [['a', 'passed']]), runEnd('passed', 0)]));
    await appendHistory(
      file,
      stamp([runBegin({}, 'second'), ...suite('chaos', [['b', 'failed', 'x']]), runEnd('passed', 0)], '2026-11-23T02:00:00.000Z'),
    );
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).to.have.length(2);
    expect(await readHistory(file)).to.deep.equal([
      {
        runId: '20261122-020000-abcd',
        startedAt: '2026-11-22T02:00:00.000Z',
        status: 'passed',
        durationMs: 5000,
        suites: [{ name: 'smoke', status: 'passed' }],
        figures: { 'suite smoke': 4000 },
      },
      {
        runId: 'second',
        startedAt: '2026-11-23T02:00:00.000Z',
        status: 'failed',
        durationMs: 5000,
        suites: [{ name: 'chaos', status: 'failed' }],
        figures: { 'suite chaos': 4000 },
      },
    ]);
  });

  it('reads a missing file as no history and skips lines it cannot use', async () => {
    expect(await readHistory(file)).to.deep.equal([]);
    const good = { runId: 'b', startedAt: '2026-11-02T00:00:00.000Z', status: 'passed', durationMs: 1, suites: [] };
    const older = { ...good, runId: 'a', startedAt: '2026-11-01T00:00:00.000Z', status: 'failed' };
    const lines = [JSON.stringify(good), '{"runId": "trunc', 'null', '{"runId":"x","status":"maybe"}', '', JSON.stringify(older)];
    writeFileSync(file, lines.join('\n'));
    expect((await readHistory(file)).map((h) => h.runId)).to.deep.equal(['a', 'b']);
  });

  it('keeps only the newest lines when a run appends past the bound, in a file of any name (a CI cache)', async () => {
    const cached = join(dir, 'ci-cache', 'nightly-history.jsonl');
    for (let night = 1; night <= 5; night += 1) {
      const at = `2026-11-0${night}T02:00:00.000Z`;
      await appendHistory(
        cached,
        stamp([runBegin({}, `night-${night}`), ...suite('smoke', [['a', 'passed']]), runEnd('passed', 0)], at),
        3,
      );
    }
    expect((await readHistory(cached)).map((h) => h.runId)).to.deep.equal(['night-3', 'night-4', 'night-5']);
  });
});
