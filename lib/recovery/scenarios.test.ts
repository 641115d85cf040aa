import { expect } from 'chai';
import { PHASES, pickTarget, SCENARIOS, shortTolerationScenario, type Scenario } from './scenarios.ts';

const [down, reboot, plane] = SCENARIOS as [Scenario, Scenario, Scenario];
const NODES = [
  { name: 'cp', controlPlane: true },
  { name: 'w1', controlPlane: false },
  { name: 'w2', controlPlane: false },
];

describe('recovery/scenarios', () => {
  it('has the three scenarios with their faults and end phases', () => {
    expect(SCENARIOS.map((s) => [s.name, s.fault])).to.deep.equal([
      ['worker-down', 'stop'],
      ['worker-reboot', 'restart'],
      ['control-plane-down', 'stop-start'],
    ]);
    expect(down.ends).to.deep.equal(['serviceAnswering']);
    expect(reboot.ends).to.deep.equal(['serviceAnswering', 'nodeReady']);
    expect(plane.ends).to.deep.equal(['apiAnswering', 'serviceAnswering']);
    for (const s of SCENARIOS) for (const phase of s.ends) expect(s.watched, s.name).to.include(phase);
    for (const s of SCENARIOS) for (const phase of s.watched) expect(PHASES).to.include(phase);
  });

  it('derives the short-toleration comparison from worker-down under its own name', () => {
    const short = shortTolerationScenario(30);
    expect(short).to.include({ name: 'worker-down-tolerations-30s', fault: 'stop', tolerationSeconds: 30 });
    expect(short.ends).to.deep.equal(down.ends);
  });

  it('targets the worker node of the RQ workers, the first by name when they are on several', () => {
    expect(pickTarget(down, NODES, ['w2'])).to.equal('w2');
    expect(pickTarget(reboot, NODES, ['w2', 'w1', 'w2'])).to.equal('w1');
  });

  it('targets the configured node when one is named, and refuses an unknown one', () => {
    expect(pickTarget(down, NODES, ['w2'], 'w1')).to.equal('w1');
    expect(() => pickTarget(down, NODES, ['w2'], 'w9')).to.throw(/--target w9 is not a node.*cp, w1, w2/);
  });

  it('targets the single control-plane node for control-plane-down, whatever the workers', () => {
    expect(pickTarget(plane, NODES, ['w1'], 'w2')).to.equal('cp');
    expect(() => pickTarget(plane, NODES.slice(1), [])).to.throw(/exactly one control-plane node, found 0/);
  });

  it('says where the workers are when none runs on a worker node', () => {
    expect(() => pickTarget(down, NODES, ['cp'])).to.throw(/no worker node runs a pod of the stack's workers \(worker pods on: cp/);
  });
});
