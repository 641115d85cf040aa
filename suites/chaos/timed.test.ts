import { expect } from 'chai';
import type { Condition } from '../../lib/wait.ts';
import { measured, timed, type Looks } from './timed.ts';

function sequence(results: boolean[]): Condition<void> {
  let i = 0;
  return { what: 'the sequence', check: () => Promise.resolve({ ok: results[i++] ?? true, observed: `look ${i}` }) };
}

describe('chaos/timed', () => {
  it('records the last miss and the first hit, keeping the condition', async () => {
    const looks: Looks = {};
    let clock = 100;
    const condition = timed(sequence([false, false, true, true]), looks, () => (clock += 10));
    expect(condition.what).to.equal('the sequence');
    const seen = [];
    for (let n = 0; n < 4; n += 1) seen.push((await condition.check(new AbortController().signal)).ok);
    expect(seen).to.deep.equal([false, false, true, true]);
    expect(looks).to.deep.equal({ lastMissAt: 120, firstHitAt: 130 });
  });

  it('measures from the start with the gap since the last miss as precision', () => {
    expect(measured({ lastMissAt: 1_500, firstHitAt: 3_500 }, 1_000, 9_999)).to.deep.equal({ ms: 2_500, precisionMs: 2_000 });
  });

  it('takes the start as the last miss when the first look hit', () => {
    expect(measured({ firstHitAt: 1_800 }, 1_000, 9_999)).to.deep.equal({ ms: 800, precisionMs: 800 });
  });

  it('uses the fallback time when no hit was recorded', () => {
    expect(measured({ lastMissAt: 1_200 }, 1_000, 2_000)).to.deep.equal({ ms: 1_000, precisionMs: 800 });
  });
});
