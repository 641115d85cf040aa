import { expect } from 'chai';
import { generateData } from '../exaflow/generate.ts';
import { expectedLocations, placeData } from '../exaflow/placement.ts';
import type { Experiment, MipDriver } from './mip.ts';
import { datasetsListed, datasetsWherePlaced, experimentEnded, locationProblems } from './mip-conditions.ts';

const signal = new AbortController().signal;
const placement = placeData(generateData(), ['w1', 'w2'], '/opt/csvs');

describe('drivers/mip-conditions', () => {
  it('datasetsWherePlaced holds once the controller lists every dataset on the worker of its node', async () => {
    const locations = expectedLocations(placement);
    const ok = await datasetsWherePlaced({ datasetLocations: () => Promise.resolve(locations) }, placement).check(signal);
    expect([ok.ok, ok.observed]).to.deep.equal([true, 'all listed']);
    const missing = await datasetsWherePlaced({ datasetLocations: () => Promise.resolve({}) }, placement).check(signal);
    expect(missing.ok).to.equal(false);
    expect(missing.observed).to.match(/^the worker on w\d does not show /);
  });

  it('locationProblems names datasets missing from their node and datasets listed elsewhere', () => {
    const expected = { 'dementia:0.1': { edsd0: 'w1', edsd1: 'w2', ppmi0: 'w1' } };
    const actual = { 'dementia:0.1': { edsd1: 'w1', ppmi0: 'w1' } };
    expect(locationProblems(expected, actual)).to.deep.equal([
      'the worker on w1 does not show edsd0 (dementia:0.1), placed on that node',
      'edsd1 (dementia:0.1) is listed on w1, but was placed on w2',
    ]);
  });

  it('experimentEnded holds once the experiment has left pending', async () => {
    const statuses = ['pending', 'success'];
    const driver = { experiment: () => Promise.resolve({ uuid: 'e-1', status: statuses.shift() ?? 'error' } as Experiment) };
    const condition = experimentEnded(driver, 'e-1');
    expect(condition.what).to.equal('experiment e-1 to finish');
    expect(await condition.check(signal)).to.include({ ok: false, observed: 'pending' });
    expect(await condition.check(signal)).to.include({ ok: true, observed: 'success' });
  });
});

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
