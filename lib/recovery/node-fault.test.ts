import { expect } from 'chai';
import type { NodeFaults } from '../cluster/types.ts';
import { kubeletReachable, kubeletRenewed } from '../k8s/kubelet-conditions.ts';
import { waitFor } from '../wait.ts';
import { injectFault, nodeFaultsOf } from './node-fault.ts';
import { SCENARIOS, type Scenario } from './scenarios.ts';

const [down, reboot, plane] = SCENARIOS as [Scenario, Scenario, Scenario];
const signal = new AbortController().signal;

function recorder(): { faults: NodeFaults; calls: string[] } {
  const calls: string[] = [];
  const verb =
    (name: string) =>
    (node: string): Promise<void> => {
      calls.push(`${name} ${node}`);
      return Promise.resolve();
    };
  return { faults: { stop: verb('stop'), start: verb('start'), restart: verb('restart') }, calls };
}

describe('recovery/node-fault', () => {
  it('stops for worker-down, restarts for a reboot, stops then starts the control plane', async () => {
    for (const [scenario, expected, up] of [
      [down, ['stop w1'], false],
      [reboot, ['restart w1'], true],
      [plane, ['stop w1', 'start w1'], true],
    ] as const) {
      const { faults, calls } = recorder();
      let began = 0;
      const fault = await injectFault(faults, scenario, 'w1', { signal, began: (at) => (began = at.mono) });
      expect(calls, scenario.name).to.deep.equal(expected);
      expect(fault.mono).to.equal(began);
      expect(fault.callMs).to.be.greaterThan(0);
      expect(fault.upMs !== undefined, scenario.name).to.equal(up);
    }
  });

  it('refuses a cluster without node faults, naming it', () => {
    expect(() => nodeFaultsOf({ provider: 'existing', name: 'lab' })).to.throw(/existing cluster lab cannot stop or start nodes/);
  });

  it('waits for a lease renewed after the restore began', async () => {
    const renewals = [new Date(1_000), new Date(5_000)];
    const leases = { readNamespacedLease: () => Promise.resolve({ spec: { renewTime: renewals.shift() ?? new Date(9_000) } }) } as never;
    const seen = await waitFor(kubeletRenewed(leases, 'w1', 4_000), { within: 2_000, interval: 5 });
    expect(seen.observed).to.equal('renewed 1970-01-01T00:00:05.000Z');
  });

  it('sees whether the API server reaches the kubelet, and says what failed', async () => {
    let calls = 0;
    const core = {
      connectGetNodeProxyWithPath: () =>
        (calls += 1) === 1 ? Promise.reject(new Error('dial tcp 172.18.0.6:10250: no route to host')) : Promise.resolve('ok'),
    } as never;
    const first = await kubeletReachable({ core }, 'w1').check(signal);
    expect(first.ok).to.equal(false);
    expect(first.observed).to.match(/no route to host/);
    expect((await kubeletReachable({ core }, 'w1').check(signal)).ok).to.equal(true);
  });
});
