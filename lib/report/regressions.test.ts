import { expect } from 'chai';
import type { HistoryEntry } from './history.ts';
import { findRegressions } from './regressions.ts';

const night = (day: number, figures: Record<string, number>): HistoryEntry => ({
  runId: `night-${day}`,
  startedAt: `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`,
  status: 'passed',
  durationMs: 1,
  suites: [],
  figures,
});
const tonight = '2026-11-30T02:00:00.000Z';

describe('regressions against the trend', () => {
  it('flags a figure slower than the median of the earlier nights by more than the threshold, worst first', () => {
    const history = [10, 11, 12].map((d) => night(d, { a: 60_000, b: 10_000 }));
    const found = findRegressions({ a: 80_000, b: 20_000, c: 5000 }, tonight, history, { thresholdPct: 25 });
    expect(found).to.deep.equal([
      { figure: 'b', valueMs: 20_000, medianMs: 10_000, nights: 3, changePct: 100 },
      { figure: 'a', valueMs: 80_000, medianMs: 60_000, nights: 3, changePct: 33 },
    ]);
  });

  it('judges nothing with fewer than 3 earlier nights, nor changes within the threshold or under a second', () => {
    expect(findRegressions({ a: 90_000 }, tonight, [night(10, { a: 1000 }), night(11, { a: 1000 })], { thresholdPct: 25 })).to.deep.equal(
      [],
    );
    const history = [10, 11, 12].map((d) => night(d, { slow: 100_000, fast: 100 }));
    expect(findRegressions({ slow: 120_000, fast: 900 }, tonight, history, { thresholdPct: 25 })).to.deep.equal([]);
  });

  it('looks back over the last 7 earlier nights only, and never at nights after the run (a rebuilt old report flags the same)', () => {
    const old = [1, 2, 3, 4, 5].map((d) => night(d, { a: 1000 }));
    const recent = [10, 11, 12, 13, 14, 15, 16].map((d) => night(d, { a: 50_000 }));
    const later = [night(31, { a: 1 }), night(32, { a: 1 })];
    expect(findRegressions({ a: 60_000 }, tonight, [...old, ...recent, ...later], { thresholdPct: 25 })).to.deep.equal([]);
    expect(findRegressions({ a: 70_000 }, tonight, [...old, ...recent, ...later], { thresholdPct: 25 })[0]).to.include({
      medianMs: 50_000,
      nights: 7,
    });
  });
});
