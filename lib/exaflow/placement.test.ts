import { expect } from 'chai';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataDir, type DataModel, type MipData } from './data.ts';
import { generateData } from './generate.ts';
import { expectedLocations, placeData, writeNodeShare } from './placement.ts';

/** A model whose files each hold one dataset named after the file. */
function model(folder: string, code: string, datasets: readonly string[]): DataModel {
  return {
    folder,
    metadata: {
      code,
      version: '1.0',
      label: code,
      variables: [{ code: 'dataset', label: 'Dataset', sql_type: 'text', isCategorical: true }],
    },
    files: datasets.map((d) => ({ name: `${d}.csv`, rows: [{ dataset: d }] })),
  };
}

const DATA: MipData = {
  origin: 'test',
  models: [model('dementia_v_1_0', 'dementia', ['d0', 'd1', 'd2', 'd3', 'd4']), model('tbi_v_1_0', 'tbi', ['t0'])],
};

describe('exaflow/placement', () => {
  it("deals each model's files round robin over the nodes sorted by name", () => {
    const placement = placeData(DATA, ['worker-c', 'worker-a', 'worker-b'], '/opt/exaflow/localworker/csvs');
    expect(placement.hostDir).to.equal('/opt/exaflow/localworker/csvs');
    expect(placement.data).to.equal(DATA);
    expect(placement.nodes.map((n) => [n.node, n.models.map((m) => m.files)])).to.deep.equal([
      ['worker-a', [['d0.csv', 'd3.csv'], ['t0.csv']]],
      ['worker-b', [['d1.csv', 'd4.csv'], []]],
      ['worker-c', [['d2.csv'], []]],
    ]);
    expect(placement.nodes[0]?.models.map((m) => m.datasets)).to.deep.equal([['d0', 'd3'], ['t0']]);
  });

  it('gives every node every model folder and id, even one that gets none of its files', () => {
    const placement = placeData(DATA, ['w2', 'w1'], '/data');
    for (const share of placement.nodes) {
      expect(
        share.models.map((m) => [m.folder, m.id]),
        share.node,
      ).to.deep.equal([
        ['dementia_v_1_0', 'dementia:1.0'],
        ['tbi_v_1_0', 'tbi:1.0'],
      ]);
    }
    expect(placeData(DATA, ['w2', 'w1'], '/data')).to.deep.equal(placeData(DATA, ['w1', 'w2'], '/data'));
  });

  it('says which dataset of which model lives on which node', () => {
    expect(expectedLocations(placeData(DATA, ['b', 'a'], '/data'))).to.deep.equal({
      'dementia:1.0': { d0: 'a', d1: 'b', d2: 'a', d3: 'b', d4: 'a' },
      'tbi:1.0': { t0: 'a' },
    });
  });

  describe("writing a node's share", () => {
    let dir: string;
    beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'mip-verify-share-'))));
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it("writes CDEsMetadata.json and the node's CSV files, which the data reader reads back identical", async () => {
      const data = generateData(11);
      const placement = placeData(data, ['w1', 'w2'], '/data');
      await writeNodeShare(placement, 'w2', dir);
      const share = placement.nodes.find((n) => n.node === 'w2');
      const back = await readDataDir(dir);
      const held = (m: DataModel) => m.files.filter((f) => share?.models.some((s) => s.folder === m.folder && s.files.includes(f.name)));
      // the reader lists a folder's files by name; the generator keeps the order of its datasets
      expect(back.models).to.deep.equal(data.models.map((m) => ({ ...m, files: held(m).sort((a, b) => a.name.localeCompare(b.name)) })));
      expect(back.models.flatMap((m) => m.files).length).to.be.greaterThan(1);
      const metadata = await readFile(join(dir, 'dementia_v_0_1', 'CDEsMetadata.json'), 'utf8');
      expect(JSON.parse(metadata)).to.deep.equal(data.models[0]?.metadata);
    });

    it('puts the dataset column first and writes only the metadata for a model the node holds no file of', async () => {
      const placement = placeData(DATA, ['a', 'b'], '/data');
      await writeNodeShare(placement, 'b', dir);
      expect((await readdir(join(dir, 'tbi_v_1_0'))).sort()).to.deep.equal(['CDEsMetadata.json']);
      expect(await readFile(join(dir, 'dementia_v_1_0', 'd1.csv'), 'utf8')).to.equal('dataset\nd1\n');
    });

    it('refuses a node that has no share', async () => {
      const error: unknown = await writeNodeShare(placeData(DATA, ['a'], '/data'), 'z', dir).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(Error).with.property('message', 'node z has no share of the data');
    });
  });
});
