import { expect } from 'chai';
import { absentReason, markOnce, trialEnded, trialOutcome, type Mark, type Marks, type TrialFacts } from './phases.ts';
import { SCENARIOS, type Scenario } from './scenarios.ts';

const [down, reboot, plane] = SCENARIOS as [Scenario, Scenario, Scenario];
const FACTS: TrialFacts = { graceS: 50, tolerationS: 300, podsOnTarget: 2, healthFailed: true };
const at = (mono: number, apiAt?: string): Mark => ({
  mono,
  wall: new Date(1_700_000_000_000 + mono).toISOString(),
  precisionMs: 1000,
  ...(apiAt ? { apiAt } : {}),
});

describe('recovery/phases', () => {
  it('keeps the first sighting of a phase', () => {
    const marks: Marks = {};
    expect(markOnce(marks, 'nodeNotReady', at(10))).to.equal(true);
    expect(markOnce(marks, 'nodeNotReady', at(20))).to.equal(false);
    expect(marks.nodeNotReady?.mono).to.equal(10);
  });

  it('turns marks into ms since the fault, in time order, with the API time kept', () => {
    const marks: Marks = {
      serviceAnswering: at(1_400_000),
      nodeNotReady: at(1_045_300, '2023-11-14T22:13:20Z'),
      podsEvicted: at(1_350_000),
      podsReady: at(1_380_000),
      healthBack: at(1_100_000),
    };
    const outcome = trialOutcome(down, marks, { faultMono: 1_000_000, endedMono: 1_500_000, sloMs: 300_000, facts: FACTS });
    expect(outcome.phases.map((p) => [p.phase, p.ms])).to.deep.equal([
      ['nodeNotReady', 45_300],
      ['healthBack', 100_000],
      ['podsEvicted', 350_000],
      ['podsReady', 380_000],
      ['serviceAnswering', 400_000],
    ]);
    expect(outcome.phases[0]?.apiAt).to.equal('2023-11-14T22:13:20Z');
    expect(outcome).to.include({ totalMs: 400_000, complete: true, passed: false });
    expect(outcome.absent).to.deep.equal([]);
  });

  it('ends a reboot trial at the later of service answering and node Ready', () => {
    const marks: Marks = { serviceAnswering: at(40_000), nodeReady: at(55_000) };
    const outcome = trialOutcome(reboot, marks, {
      faultMono: 0,
      endedMono: 60_000,
      sloMs: 300_000,
      facts: { ...FACTS, healthFailed: false, backAfterMs: 12_000 },
    });
    expect(outcome).to.include({ totalMs: 55_000, complete: true, passed: true });
    expect(outcome.absent.map((a) => a.phase)).to.deep.equal(['nodeNotReady', 'podsReady', 'healthBack']);
    expect(outcome.absent[0]?.reason).to.match(
      /back before node-monitor-grace-period \(50 s\) ran out \(it ran again 12 s after the fault\)/,
    );
    expect(outcome.absent[2]?.reason).to.match(/answered through the ingress throughout/);
  });

  it('ends a control-plane trial at the later of API answering and service answering', () => {
    const marks: Marks = { apiUnreachable: at(1_000), apiAnswering: at(70_000), serviceAnswering: at(65_000) };
    expect(trialOutcome(plane, marks, { faultMono: 0, endedMono: 80_000, sloMs: 60_000, facts: FACTS })).to.include({
      totalMs: 70_000,
      passed: false,
    });
    expect(trialEnded(plane, { apiAnswering: at(1) })).to.equal(false);
    expect(absentReason(plane, 'nodeNotReady', FACTS)).to.match(/controller-manager .* ran on the stopped node/);
  });

  it('records a trial that never ended as incomplete, with the time waited and no invented phase', () => {
    const outcome = trialOutcome(down, { nodeNotReady: at(45_000) }, { faultMono: 0, endedMono: 590_000, sloMs: 300_000, facts: FACTS });
    expect(outcome).to.include({ totalMs: 590_000, complete: false, passed: false });
    expect(outcome.phases.map((p) => p.phase)).to.deep.equal(['nodeNotReady']);
    expect(outcome.absent.map((a) => a.reason)).to.include('not observed within the trial budget');
  });

  it('explains absent pod phases when no stack pod ran on the node', () => {
    const none = { ...FACTS, podsOnTarget: 0 };
    expect(absentReason(down, 'podsEvicted', none)).to.equal('no pod of the stack ran on the node');
    expect(absentReason(down, 'podsReady', none)).to.equal('no pod of the stack ran on the node');
    expect(absentReason(reboot, 'podsEvicted', FACTS)).to.match(/tolerations \(300 s\) ran out: its pods restarted in place/);
  });
});
