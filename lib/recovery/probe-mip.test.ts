import { expect } from 'chai';
import type { Experiment, MipDriver } from '../drivers/mip.ts';
import { generateData } from '../mip/generate.ts';
import { placeData } from '../mip/placement.ts';
import { expectedDescriptive } from '../mip/stats.ts';
import { mipProbe } from './probe-mip.ts';
import { SCENARIOS, type Scenario } from './scenarios.ts';

const placement = placeData(generateData(), ['w1', 'w2'], '/opt/csvs');
const [workerDown, reboot] = SCENARIOS as [Scenario, Scenario];
const signal = new AbortController().signal;
const ALL = ['desd-synthdata0', 'desd-synthdata1', 'edsd0', 'edsd1', 'ppmi0', 'ppmi1'];
const ON_W1 = ['desd-synthdata0', 'edsd0', 'ppmi0'];

/** A driver whose controller lists `listed` and whose backend answers each experiment with the statistics of what it was asked. */
function driver(listed: readonly string[], submitted: unknown[] = []): MipDriver {
  let asked: string[] = [];
  return {
    datasetLocations: () => Promise.resolve({ 'dementia:0.1': Object.fromEntries(listed.map((d) => [d, 'w'])) }),
    submit: (body: unknown) => {
      submitted.push(body);
      asked = (body as { algorithm: { inputdata: { datasets: string[] } } }).algorithm.inputdata.datasets;
      return Promise.resolve({ uuid: 'e1', status: 'pending' });
    },
    experiment: (): Promise<Experiment> => {
      const variables = ['lefthippocampus', 'righthippocampus', 'agevalue'];
      const entries = expectedDescriptive(placement.data, 'dementia:0.1', asked, variables);
      return Promise.resolve({ uuid: 'e1', status: 'success', result: [{ data: { variable_based: entries }, type: 'application/json' }] });
    },
  } as unknown as MipDriver;
}

describe('recovery/probe-mip', () => {
  it('after a reboot, needs every placed dataset listed before it submits anything', async () => {
    const submitted: unknown[] = [];
    const run = await mipProbe(driver(ON_W1, submitted), placement).once(reboot, { signal, intervalMs: 1 });
    expect(run.problems).to.deep.equal(['the controller lists 3 of the 6 datasets of dementia:0.1']);
    expect(submitted).to.be.empty;
  });

  it('while a worker node stays down, runs the experiment over the datasets the controller lists and judges it on those', async () => {
    const submitted: unknown[] = [];
    const run = await mipProbe(driver(ON_W1, submitted), placement).once(workerDown, { signal, intervalMs: 1 });
    expect(run.problems).to.deep.equal([]);
    expect(run.id).to.equal('e1 (3/6 datasets)');
    expect((submitted[0] as { algorithm: { inputdata: { datasets: string[] } } }).algorithm.inputdata.datasets).to.deep.equal(ON_W1);
  });

  it('with every dataset listed, runs over all of them', async () => {
    const run = await mipProbe(driver(ALL), placement).once(reboot, { signal, intervalMs: 1 });
    expect(run).to.include({ id: 'e1 (6/6 datasets)' });
    expect(run.problems).to.deep.equal([]);
  });
});
