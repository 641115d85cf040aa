// recovery: node and control-plane faults, timed; config validation refuses it on a cluster the run may not disrupt.
import { harness } from '../../lib/suite.ts';
import { readinessChecks } from '../readiness.ts';

describe('recovery', function () {
  const h = harness(this);

  readinessChecks(h);
});
