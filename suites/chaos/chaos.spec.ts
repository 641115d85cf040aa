// chaos: pods killed mid-job; config validation refuses it on a cluster the run may not disrupt.
import { harness } from '../../lib/suite.ts';
import { readinessChecks } from '../readiness.ts';

describe('chaos', function () {
  const h = harness(this);

  readinessChecks(h);
});
