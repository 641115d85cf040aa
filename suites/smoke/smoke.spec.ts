// smoke: everything is Ready and the web app answers its health endpoint through the ingress.
import { harness, httpAnswers } from '../../lib/suite.ts';
import { readinessChecks } from '../readiness.ts';

/** Health endpoint of each stack's web entry point, as its images serve it. */
const HEALTH: Readonly<Record<string, { path: string; body: string }>> = {
  openms: { path: '/_stcore/health', body: 'ok' },
  mip: { path: '/services/actuator/health', body: '"status":"UP"' },
};

describe('smoke', function () {
  const h = harness(this);

  readinessChecks(h);

  it('the web health endpoint answers through the ingress', async () => {
    const health = HEALTH[h.stack.spec.name] ?? h.skip(`no health endpoint is known for the ${h.stack.spec.name} stack`);
    const url = h.stack.url(health.path);
    await h.step(`${health.path} answers 200 with "${health.body}"`, () =>
      h.waitFor(httpAnswers(url, { status: 200, bodyIncludes: health.body }), { within: h.config.timeouts.ready }),
    );
  });
});
