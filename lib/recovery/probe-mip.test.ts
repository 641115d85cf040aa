import { expect } from 'chai';
import type { MipDriver } from '../drivers/mip.ts';
import { generateData } from '../exaflow/generate.ts';
import { placeData } from '../exaflow/placement.ts';
import { expectedDescriptive } from '../exaflow/stats.ts';
import { mipProbe } from './probe-mip.ts';
import { SCENARIOS, type Scenario } from './scenarios.ts';

const placement = placeData(generateData(), ['w1', 'w2'], '/opt/csvs');
const [workerDown, reboot] = SCENARIOS as [Scenario, Scenario];
const signal = new AbortController().signal;
const ALL = ['desd-synthdata0', 'desd-synthdata1', 'edsd0', 'edsd1', 'ppmi0', 'ppmi1'];
const ON_W1 = ['desd-synthdata0', 'edsd0', 'ppmi0'];

type Body = { request_id: string; inputdata: { datasets: string[]; y: string[] } };

/** A driver whose controller lists `listed` and answers each request with the statistics of what it was asked. */
function driver(listed: readonly string[], submitted: Body[] = []): MipDriver {
  return {
    datasetLocations: () => Promise.resolve({ 'dementia:0.1': Object.fromEntries(listed.map((d) => [d, 'w'])) }),
    runAlgorithm: (_name: string, body: Body) => {
      submitted.push(body);
      const entries = expectedDescriptive(placement.data, 'dementia:0.1', body.inputdata.datasets, body.inputdata.y);
      return Promise.resolve({ ok: true, result: { variable_based: entries } });
    },
  } as unknown as MipDriver;
}

describe('recovery/probe-mip', () => {
  it('after a reboot, needs every placed dataset listed before it submits anything', async () => {
    const submitted: Body[] = [];
    const run = await mipProbe(driver(ON_W1, submitted), placement).once(reboot, { signal, intervalMs: 1 });
    expect(run.problems).to.deep.equal(['the controller lists 3 of the 6 datasets of dementia:0.1']);
    expect(submitted).to.be.empty;
  });

  it('while a worker node stays down, runs the experiment over the datasets the controller lists and judges it on those', async () => {
    const submitted: Body[] = [];
    const run = await mipProbe(driver(ON_W1, submitted), placement).once(workerDown, { signal, intervalMs: 1 });
    expect(run.problems).to.deep.equal([]);
    expect(run.id).to.equal(`${submitted[0]?.request_id ?? ''} (3/6 datasets)`);
    expect(submitted[0]?.inputdata.datasets).to.deep.equal(ON_W1);
  });

  it('with every dataset listed, runs over all of them', async () => {
    const run = await mipProbe(driver(ALL), placement).once(reboot, { signal, intervalMs: 1 });
    expect(run.id).to.match(/^mip-verify-\S+ \(6\/6 datasets\)$/);
    expect(run.problems).to.deep.equal([]);
  });

  it("names the controller's refusal", async () => {
    const refusing = {
      ...driver(ALL),
      runAlgorithm: () => Promise.resolve({ ok: false, status: 460, text: 'Datasets are not available' }),
    } as unknown as MipDriver;
    const run = await mipProbe(refusing, placement).once(reboot, { signal, intervalMs: 1 });
    expect(run.problems).to.deep.equal(['the controller answered HTTP 460: Datasets are not available']);
  });
});
