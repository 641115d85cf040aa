import { expect } from 'chai';
import type { Marks } from '../../lib/recovery/phases.ts';
import { SCENARIOS, type Scenario } from '../../lib/recovery/scenarios.ts';
import { compare, trialBudgetMs } from './trial.ts';

const [down, reboot, plane] = SCENARIOS as [Scenario, Scenario, Scenario];
const mark = (wall: string, apiAt?: string): Marks['nodeReady'] => ({ mono: 0, wall, precisionMs: 1000, ...(apiAt ? { apiAt } : {}) });

describe('recovery/trial', () => {
  it('compares NotReady and Ready with the API, and records a violation over 1 s', () => {
    const { comparisons, notCompared } = compare(down, {
      nodeNotReady: mark('2026-01-01T10:00:46.300Z', '2026-01-01T10:00:46Z'),
      nodeReady: mark('2026-01-01T10:09:00.000Z', '2026-01-01T10:08:55Z'),
    });
    expect(notCompared).to.deep.equal([]);
    expect(comparisons.map((c) => [c.phase, c.deviationMs, c.ok])).to.deep.equal([
      ['worker-down nodeNotReady', 0, true],
      ['worker-down nodeReady', 4001, false],
    ]);
  });

  it('names, rather than compares, a Ready without an API time and one the watch could not see live', () => {
    const noTransition = compare(reboot, { nodeReady: mark('2026-01-01T10:00:20Z') });
    expect(noTransition.comparisons).to.deep.equal([]);
    expect(noTransition.notCompared[0]).to.match(/^nodeReady: the API gave no time for it/);
    const apiDown = compare(plane, {
      apiAnswering: mark('2026-01-01T10:01:00Z'),
      nodeReady: mark('2026-01-01T10:01:03Z', '2026-01-01T10:00:58Z'),
    });
    expect(apiDown.notCompared[0]).to.match(/while the API server was down or just back/);
  });

  it('budgets a dead node by grace period, tolerations and four minutes', () => {
    const settings = {
      graceS: 50,
      graceSource: 'default',
      pods: [{ pod: 'p', node: 'w1', notReadyS: 300, unreachableS: 300, restartPolicy: 'Always' }],
    };
    expect(trialBudgetMs(down, settings)).to.equal(590_000);
    expect(trialBudgetMs({ ...down, tolerationSeconds: 30 }, settings)).to.equal(320_000);
    expect(trialBudgetMs(reboot, settings)).to.equal(350_000);
  });
});
