import type { V1Deployment, V1EnvVar } from '@kubernetes/client-node';
import { expect } from 'chai';
import type { MipDriver } from '../drivers/mip.ts';
import { DEFAULT_LANDSCAPE_INTERVAL_S, datasetsListed, intervalOf, landscapeInterval } from './mip-worker-kill.ts';

const signal = new AbortController().signal;

function controller(env: V1EnvVar[]): V1Deployment {
  return {
    metadata: { name: 'exaflow-controller-deployment' },
    spec: { selector: {}, template: { spec: { containers: [{ name: 'controller', env }] } } },
  };
}

/** A driver whose controller reports `locations` as its dataset locations. */
function driverListing(locations: Record<string, Record<string, string>>): MipDriver {
  return { datasetLocations: () => Promise.resolve(locations) } as unknown as MipDriver;
}

describe('chaos/mip-worker-kill', () => {
  it("reads the landscape refresh interval from the controller's environment", () => {
    const deployment = controller([{ name: 'LOG_LEVEL', value: 'INFO' }, { name: 'WORKER_LANDSCAPE_AGGREGATOR_UPDATE_INTERVAL', value: '12' }]);
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
        listNamespacedDeployment: (request: unknown) => (asked.push(request), Promise.resolve({ items: [controller([{ name: 'WORKER_LANDSCAPE_AGGREGATOR_UPDATE_INTERVAL', value: '5' }])] })),
      },
    } as never;
    expect((await landscapeInterval(kube, 'mip-verify-mip', 'app=exaflow-controller', signal)).seconds).to.equal(5);
    expect(asked).to.deep.equal([{ namespace: 'mip-verify-mip', labelSelector: 'app=exaflow-controller' }]);
  });

  it('holds while the controller lists every awaited dataset, and says which it lists otherwise', async () => {
    const driver = driverListing({ 'dementia:0.1': { edsd0: 'w1', edsd1: 'w2', ppmi0: 'w1' } });
    const present = datasetsListed(driver, 'dementia:0.1', ['edsd0', 'ppmi0'], true);
    expect(present.what).to.equal('the controller to list edsd0, ppmi0 of dementia:0.1');
    expect(await present.check(signal)).to.deep.equal({ ok: true, observed: 'listed: edsd0, ppmi0', value: ['edsd0', 'ppmi0'] });
    const partly = await datasetsListed(driver, 'dementia:0.1', ['edsd0', 'ppmi1'], true).check(signal);
    expect(partly).to.deep.equal({ ok: false, observed: 'listed: edsd0', value: ['edsd0'] });
  });

  it('holds once the controller lists none of the datasets of a killed worker', async () => {
    const gone = datasetsListed(driverListing({ 'dementia:0.1': { edsd1: 'w2' } }), 'dementia:0.1', ['edsd0', 'ppmi0'], false);
    expect(gone.what).to.equal('the controller to stop listing edsd0, ppmi0 of dementia:0.1');
    expect(await gone.check(signal)).to.deep.equal({ ok: true, observed: 'none listed', value: [] });
    const still = datasetsListed(driverListing({ 'dementia:0.1': { ppmi0: 'w1' } }), 'dementia:0.1', ['edsd0', 'ppmi0'], false);
    expect(await still.check(signal)).to.deep.equal({ ok: false, observed: 'listed: ppmi0', value: ['ppmi0'] });
    const noModel = datasetsListed(driverListing({}), 'dementia:0.1', ['edsd0'], false);
    expect((await noModel.check(signal)).ok).to.equal(true);
  });
});
