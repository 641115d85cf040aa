import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendHistory, readHistory } from './history.ts';
import { runBegin, runEnd, stamp, suite } from './test-events.ts';

describe('history', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'history-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends one line per run with the computed verdict and suite statuses', async () => {
    await appendHistory(dir, stamp([runBegin(), ...suite('smoke', [['a', 'passed']]), runEnd('passed', 0)]));
    await appendHistory(dir, stamp([runBegin({}, 'second'), ...suite('chaos', [['b', 'failed', 'x']]), runEnd('passed', 0)], '2026-11-23T02:00:00.000Z'));
    const lines = readFileSync(join(dir, 'history.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).to.have.length(2);
    expect(await readHistory(dir)).to.deep.equal([
      { runId: '20261122-020000-abcd', startedAt: '2026-11-22T02:00:00.000Z', status: 'passed', durationMs: 5000, suites: [{ name: 'smoke', status: 'passed' }] },
      { runId: 'second', startedAt: '2026-11-23T02:00:00.000Z', status: 'failed', durationMs: 5000, suites: [{ name: 'chaos', status: 'failed' }] },
    ]);
  });

  it('reads a missing file as no history and skips lines it cannot use', async () => {
    expect(await readHistory(dir)).to.deep.equal([]);
    const good = { runId: 'b', startedAt: '2026-11-02T00:00:00.000Z', status: 'passed', durationMs: 1, suites: [] };
    const older = { ...good, runId: 'a', startedAt: '2026-11-01T00:00:00.000Z', status: 'failed' };
    const lines = [JSON.stringify(good), '{"runId": "trunc', 'null', '{"runId":"x","status":"maybe"}', '', JSON.stringify(older)];
    writeFileSync(join(dir, 'history.jsonl'), lines.join('\n'));
    expect((await readHistory(dir)).map((h) => h.runId)).to.deep.equal(['a', 'b']);
  });
});
