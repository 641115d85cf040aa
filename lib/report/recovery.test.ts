import { expect } from 'chai';
import { buildModel } from './model-fold.ts';
import { groupByScenario, nearestRank } from './recovery.ts';
import { runBegin, runEnd, stamp, trial } from '../../fixtures/support/recorded-events.ts';

describe('recovery statistics', () => {
  it('takes nearest-rank percentiles without interpolating', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    expect(nearestRank(twenty, 50)).to.equal(100);
    expect(nearestRank(twenty, 95)).to.equal(190);
    expect(nearestRank([300, 100, 200], 50)).to.equal(200);
    expect(nearestRank([300, 100, 200], 95)).to.equal(300);
    expect(nearestRank([100, 200, 300, 400], 50)).to.equal(200);
    expect(nearestRank([42], 95)).to.equal(42);
    expect(() => nearestRank([], 50)).to.throw(RangeError);
  });

  it('groups trials per scenario in order of first appearance', () => {
    const model = buildModel(
      stamp([
        runBegin(),
        trial('b', 1, 90_000),
        trial('a', 1, 70_000),
        trial('b', 2, 110_000),
        trial('b', 3, 100_000),
        runEnd('passed', 0),
      ]),
    );
    const groups = groupByScenario(model.trials);
    expect(groups.map((g) => g.scenario)).to.deep.equal(['b', 'a']);
    expect(groups[0]?.stats).to.deep.equal({ p50Ms: 100_000, p95Ms: 110_000, maxMs: 110_000 });
    expect(groups[1]?.trials.map((t) => t.totalMs)).to.deep.equal([70_000]);
  });
});
