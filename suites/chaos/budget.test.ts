import { expect } from 'chai';
import { rqTimings } from '../../lib/drivers/rq-timings.ts';
import { describeBudget, flagsMeeting, flagsProblem, killBudget, REPLACEMENT_ALLOWANCE_S, stuckMessage } from './budget.ts';

const REFERENCE_WORKER = {
  command: ['/bin/sh', '-c', 'exec rq worker openms-workflows --url "$REDIS_URL" --worker-ttl 60 --maintenance-interval 30'],
};
const UPSTREAM_WORKER = { command: ['/bin/bash', '-c'], args: ['set -euo pipefail\nexec rq worker openms-workflows --url $REDIS_URL'] };

describe('chaos/budget', () => {
  it('adds the heartbeat TTL, the cleanup period and the replacement allowance, judged against the objective', () => {
    const budget = killBudget(rqTimings(REFERENCE_WORKER), 300);
    expect(budget).to.deep.equal({
      objectiveS: 300,
      totalS: 90 + 45 + REPLACEMENT_ALLOWANCE_S,
      heartbeatTtlS: 90,
      cleanupPeriodS: 45,
      replacementS: 60,
      source: '--worker-ttl 60, --maintenance-interval 30',
    });
    expect(flagsProblem(budget)).to.equal(undefined);
  });

  it('states the objective and the bound with its derivation', () => {
    expect(describeBudget(killBudget(rqTimings(REFERENCE_WORKER), 300))).to.equal(
      "the objective of 5m (RQ's flags imply up to 3m15s = heartbeat TTL 90s + cleanup period 45s + 60s for the replacement pod; RQ flags: --worker-ttl 60, --maintenance-interval 30)",
    );
  });

  it("names RQ's defaults as unable to meet a 5-minute objective, and the flags that would", () => {
    const budget = killBudget(rqTimings(UPSTREAM_WORKER), 300);
    expect(budget.totalS).to.equal(90 + 810 + 60);
    expect(flagsProblem(budget)).to.equal(
      "the worker's RQ flags let it stay 'started' up to 16m = heartbeat TTL 90s + cleanup period 810s + 60s for the replacement pod; RQ flags: RQ defaults, " +
        'over the objective of 5m; `rq worker --worker-ttl 60 --maintenance-interval 30` would meet it (up to 3m15s)',
    );
  });

  it('suggests a shorter cleanup period for a tight objective, and none when nothing fits', () => {
    expect(flagsMeeting({ objectiveS: 180, heartbeatTtlS: 90, replacementS: 60 })).to.deep.equal({
      flags: '--worker-ttl 35 --maintenance-interval 20',
      boundS: 170,
    });
    expect(flagsMeeting({ objectiveS: 150, heartbeatTtlS: 90, replacementS: 60 })).to.equal(undefined);
    expect(flagsProblem(killBudget(rqTimings(UPSTREAM_WORKER), 120))).to.match(
      /no worker flags can meet it: the heartbeat TTL and the replacement pod alone take 2m30s$/,
    );
  });

  it('names the job, the pod, the time waited and why when the job is stuck although the flags meet the objective', () => {
    const budget = killBudget(rqTimings(REFERENCE_WORKER), 300);
    const message = stuckMessage({ jobId: 'job-1', pod: 'rq-worker-abc', elapsedMs: 300_000, observed: 'started' }, budget);
    expect(message).to.equal(
      "job job-1 still 'started' 5m after worker pod rq-worker-abc was killed, past the objective of 5m: RQ never declared it abandoned although its flags imply at most " +
        '3m15s = heartbeat TTL 90s + cleanup period 45s + 60s for the replacement pod; RQ flags: --worker-ttl 60, --maintenance-interval 30, so it is stuck',
    );
  });

  it('says what was last seen when the status could not be read', () => {
    const budget = killBudget(rqTimings(REFERENCE_WORKER), 300);
    const message = stuckMessage({ jobId: 'job-1', pod: 'p', elapsedMs: 300_000, observed: 'error: no Ready web pod' }, budget);
    expect(message).to.match(/^job job-1 not seen out of 'started' \(last seen: error: no Ready web pod\) 5m after/);
  });
});
