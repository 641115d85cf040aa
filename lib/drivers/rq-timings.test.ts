import { expect } from 'chai';
import { RQ_DEFAULTS, rqTimings } from './rq-timings.ts';

describe('rqTimings', () => {
  it('uses RQ defaults when the worker sets no flags: up to 810 s of cleanup period after a 90 s heartbeat TTL', () => {
    const t = rqTimings({ command: ['rq', 'worker', 'openms-workflows'] });
    expect(t.workerTtlS).to.equal(RQ_DEFAULTS.workerTtlS);
    expect(t.heartbeatTtlS).to.equal(90);
    // An idle worker blocks 405 s per dequeue; the first multiple of 405 s at least 600 s is 810 s.
    expect(t.cleanupPeriodS).to.equal(810);
    expect(t.abandonedBoundS).to.equal(900);
    expect(t.source).to.equal('RQ defaults');
  });

  it('reads the flags from a shell command line, in both spellings', () => {
    const t = rqTimings({ command: ['/bin/sh', '-c', 'exec rq worker q --url "$REDIS_URL" --worker-ttl 60 --maintenance-interval=30'] });
    expect(t).to.include({ workerTtlS: 60, maintenanceIntervalS: 30, cleanupPeriodS: 45, abandonedBoundS: 135 });
    expect(t.source).to.equal('--worker-ttl 60, --maintenance-interval 30');
  });

  it('takes the job monitoring interval into the heartbeat TTL and reads args as well as command', () => {
    const t = rqTimings({ command: ['rq'], args: ['worker', '--job-monitoring-interval', '10'] });
    expect(t.heartbeatTtlS).to.equal(70);
  });

  it('ignores values that are not positive numbers', () => {
    const t = rqTimings({ args: ['--worker-ttl', 'abc', '--maintenance-interval', '0'] });
    expect(t.workerTtlS).to.equal(420);
    expect(t.maintenanceIntervalS).to.equal(600);
  });

  it('treats a missing container as RQ defaults', () => {
    expect(rqTimings(undefined).abandonedBoundS).to.equal(900);
  });
});
