// sessions: several web replicas keep each browser session on one pod (its checks build on a Ready stack).
import { harness } from '../../lib/suite.ts';
import { readinessChecks } from '../readiness.ts';

describe('sessions', function () {
  const h = harness(this);

  readinessChecks(h);
});
