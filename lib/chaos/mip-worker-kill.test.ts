import { expect } from 'chai';
import type { MipDriver } from '../drivers/mip.ts';
import { datasetsListed } from '../drivers/mip-conditions.ts';

const signal = new AbortController().signal;

/** A driver whose controller reports `locations` as its dataset locations. */
function driverListing(locations: Record<string, Record<string, string>>): MipDriver {
  return { datasetLocations: () => Promise.resolve(locations) } as unknown as MipDriver;
}

describe('drivers/mip-conditions datasetsListed', () => {
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
