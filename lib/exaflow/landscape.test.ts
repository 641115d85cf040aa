import type { V1Deployment, V1EnvVar } from '@kubernetes/client-node';
import { expect } from 'chai';
import { DEFAULT_LANDSCAPE_INTERVAL_S, intervalOf, landscapeInterval } from './landscape.ts';

const signal = new AbortController().signal;

function controller(env: V1EnvVar[]): V1Deployment {
  return {
    metadata: { name: 'exaflow-controller-deployment' },
    spec: { selector: {}, template: { spec: { containers: [{ name: 'controller', env }] } } },
  };
}

describe('exaflow/landscape', () => {
  it("reads the landscape refresh interval from the controller's environment", () => {
    const deployment = controller([
      { name: 'LOG_LEVEL', value: 'INFO' },
      { name: 'WORKER_LANDSCAPE_AGGREGATOR_UPDATE_INTERVAL', value: '12' },
    ]);
    expect(intervalOf(deployment)).to.deep.equal({
      seconds: 12,
      source: 'WORKER_LANDSCAPE_AGGREGATOR_UPDATE_INTERVAL=12 on exaflow-controller-deployment',
    });
  });

  it("falls back to Exaflow's default when the variable is absent, not a positive number, or there is no Deployment", () => {
    const fallback = { seconds: DEFAULT_LANDSCAPE_INTERVAL_S, source: "Exaflow's default (30 s; the controller does not set it)" };
    expect(intervalOf(controller([{ name: 'LOG_LEVEL', value: 'INFO' }]))).to.deep.equal(fallback);
    for (const value of ['soon', '0', '-5', '']) {
      expect(intervalOf(controller([{ name: 'WORKER_LANDSCAPE_AGGREGATOR_UPDATE_INTERVAL', value }])), value).to.deep.equal(fallback);
    }
    expect(intervalOf(undefined)).to.deep.equal(fallback);
  });

  it('lists the Deployments by the controller selector to read the interval', async () => {
    const asked: unknown[] = [];
    const kube = {
      apps: {
        listNamespacedDeployment: (request: unknown) => (
          asked.push(request),
          Promise.resolve({ items: [controller([{ name: 'WORKER_LANDSCAPE_AGGREGATOR_UPDATE_INTERVAL', value: '5' }])] })
        ),
      },
    } as never;
    expect((await landscapeInterval(kube, 'mip-verify-mip', 'app=exaflow-controller', signal)).seconds).to.equal(5);
    expect(asked).to.deep.equal([{ namespace: 'mip-verify-mip', labelSelector: 'app=exaflow-controller' }]);
  });
});
