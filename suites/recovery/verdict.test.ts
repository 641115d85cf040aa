import { expect } from 'chai';
import { SCENARIOS, shortTolerationScenario, type Scenario } from '../../lib/recovery/scenarios.ts';
import { describePhases, scenarioFailure, settingsExplanation, type TrialSummary } from './verdict.ts';

const [down, reboot] = SCENARIOS as [Scenario, Scenario];
const trial = (n: number, totalMs: number, passed: boolean, complete = true): TrialSummary => ({
  trial: n,
  target: 'w1',
  phases: [
    { phase: 'nodeNotReady', ms: 45_000, at: 'x' },
    { phase: 'serviceAnswering', ms: totalMs, at: 'y' },
  ],
  absent: complete ? [] : [{ phase: 'podsReady', reason: 'not observed within the trial budget' }],
  totalMs,
  complete,
  passed,
});

describe('recovery/verdict', () => {
  it('describes seen and absent phases', () => {
    expect(describePhases(trial(1, 400_000, false, false))).to.equal(
      'nodeNotReady 45 s, serviceAnswering 400 s; podsReady absent: not observed within the trial budget',
    );
  });

  it("explains a dead node's time by grace period plus tolerations", () => {
    expect(settingsExplanation(down, 50, 300, 300_000)).to.match(/50 s\) plus .*\(300 s\) = 350 s, already over the SLO/);
    expect(settingsExplanation(shortTolerationScenario(30), 50, 30, 300_000)).to.match(/= 80 s, within the SLO, leaving 220 s/);
    expect(settingsExplanation(reboot, 50, 300, 300_000)).to.equal(undefined);
  });

  it('passes when every trial met the SLO, and names each one that did not', () => {
    expect(scenarioFailure(down, [trial(1, 100_000, true)], { sloMs: 300_000 })).to.equal(undefined);
    const stuck = { ...trial(3, 590_000, false, false), lastHealthProblem: 'HTTP 503', serviceFailures: ['old', 'exec failed'] };
    const message = scenarioFailure(down, [trial(1, 100_000, true), trial(2, 400_000, false), stuck], {
      sloMs: 300_000,
      explanation: 'because',
    });
    expect(message).to.match(/^worker-down: 2\/3 trials missed the SLO: because\. /);
    expect(message).to.match(/trial 2 on w1 recovered after 400 s, over the SLO of 300 s/);
    expect(message).to.match(
      /trial 3 on w1 did not recover within 590 s \(.*; last health probe: HTTP 503; last workflow problem: exec failed\)$/,
    );
  });
});
