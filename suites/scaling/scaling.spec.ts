// scaling: several workers share concurrent jobs (its checks build on a Ready stack).
import { harness } from '../../lib/suite.ts';
import { readinessChecks } from '../readiness.ts';

describe('scaling', function () {
  const h = harness(this);

  readinessChecks(h);
});
