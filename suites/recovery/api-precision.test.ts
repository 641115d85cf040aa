import { expect } from 'chai';
import { API_TOLERANCE_MS, compareWithApi, describeComparison, violations } from './api-precision.ts';

describe('recovery/api-precision', () => {
  const api = '2026-01-01T10:00:05Z';

  it("counts an observation inside the API's second [t, t+1s) as no deviation", () => {
    for (const observed of ['2026-01-01T10:00:05.000Z', '2026-01-01T10:00:05.420Z', '2026-01-01T10:00:05.999Z']) {
      const c = compareWithApi('nodeNotReady', observed, api);
      expect(c.deviationMs, observed).to.equal(0);
      expect(c.ok).to.equal(true);
    }
  });

  it('measures the distance to the interval after it, and accepts up to 1 s', () => {
    expect(compareWithApi('p', '2026-01-01T10:00:06.000Z', api).deviationMs).to.equal(1);
    const edge = compareWithApi('p', '2026-01-01T10:00:06.999Z', api);
    expect(edge).to.include({ offsetMs: 1_999, deviationMs: 1_000, ok: true });
    const late = compareWithApi('p', '2026-01-01T10:00:07.000Z', api);
    expect(late).to.include({ deviationMs: 1_001, ok: false });
  });

  it("measures an observation before the API's second as a negative offset", () => {
    const early = compareWithApi('p', '2026-01-01T10:00:04.200Z', api);
    expect(early).to.include({ offsetMs: -800, deviationMs: 800, ok: true });
    expect(compareWithApi('p', '2026-01-01T10:00:03.900Z', api).ok).to.equal(false);
  });

  it('truncates an API time that carries fractions to its second', () => {
    expect(compareWithApi('p', '2026-01-01T10:00:05.500Z', '2026-01-01T10:00:05.900Z').deviationMs).to.equal(0);
  });

  it('rejects text that is not a time', () => {
    expect(() => compareWithApi('p', 'soon', api)).to.throw(RangeError, /not a time/);
  });

  it('lists the violations and describes each comparison', () => {
    const ok = compareWithApi('a', '2026-01-01T10:00:05.100Z', api);
    const off = compareWithApi('b', '2026-01-01T10:00:09.000Z', api);
    expect(violations([ok, off])).to.deep.equal([off]);
    expect(describeComparison(ok)).to.match(/inside the API's second/);
    expect(describeComparison(off)).to.match(/3001 ms outside/);
    expect(API_TOLERANCE_MS).to.equal(1_000);
  });
});
