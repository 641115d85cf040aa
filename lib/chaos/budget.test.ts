import { expect } from 'chai';
import { rqTimings } from '../drivers/rq-timings.ts';
import { describeBudget, killBudget, REPLACEMENT_ALLOWANCE_S, stuckMessage } from './budget.ts';

const REFERENCE_WORKER = { command: ['/bin/sh', '-c', 'exec rq worker openms-workflows --url "$REDIS_URL" --worker-ttl 60 --maintenance-interval 30'] };

describe('chaos/budget', () => {
  it('adds the heartbeat TTL, the cleanup period and the replacement allowance', () => {
    const budget = killBudget(rqTimings(REFERENCE_WORKER));
    expect(budget).to.deep.equal({
      totalS: 90 + 45 + REPLACEMENT_ALLOWANCE_S,
      heartbeatTtlS: 90,
      cleanupPeriodS: 45,
      replacementS: 60,
      source: '--worker-ttl 60, --maintenance-interval 30',
    });
  });

  it('falls back to RQ defaults and takes another allowance', () => {
    const budget = killBudget(rqTimings(undefined), 30);
    expect(budget.totalS).to.equal(90 + 810 + 30);
    expect(budget.source).to.equal('RQ defaults');
  });

  it('states the budget with its derivation', () => {
    expect(describeBudget(killBudget(rqTimings(REFERENCE_WORKER)))).to.equal(
      '3m15s = heartbeat TTL 90s + cleanup period 45s + 60s for the replacement pod; RQ flags: --worker-ttl 60, --maintenance-interval 30',
    );
  });

  it('names the job, the pod, the time waited and the budget when the job is stuck', () => {
    const budget = killBudget(rqTimings(REFERENCE_WORKER));
    const message = stuckMessage({ jobId: 'job-1', pod: 'rq-worker-abc', elapsedMs: 240_000, observed: 'started' }, budget);
    expect(message).to.equal(
      "job job-1 still 'started' 4m after worker pod rq-worker-abc was killed (budget 3m15s = heartbeat TTL 90s + cleanup period 45s + " +
        '60s for the replacement pod; RQ flags: --worker-ttl 60, --maintenance-interval 30): RQ never declared it abandoned, so it is stuck',
    );
  });

  it('says what was last seen when the status could not be read', () => {
    const budget = killBudget(rqTimings(REFERENCE_WORKER));
    const message = stuckMessage({ jobId: 'job-1', pod: 'p', elapsedMs: 195_000, observed: 'error: no Ready web pod' }, budget);
    expect(message).to.match(/^job job-1 not seen out of 'started' \(last seen: error: no Ready web pod\) 3m15s after/);
  });
});
