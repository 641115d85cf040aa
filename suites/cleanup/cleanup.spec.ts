// cleanup: the workspace cleanup CronJob (its checks build on a Ready stack).
import { harness } from '../../lib/suite.ts';
import { readinessChecks } from '../readiness.ts';

describe('cleanup', function () {
  const h = harness(this);

  readinessChecks(h);
});
