import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../errors.ts';
import { chartDefaults, mergeValues, olderKeys, readValuesFile, valueAt, valueTree } from './values.ts';

describe('stack/mip/values', () => {
  describe('values files', () => {
    let dir: string;
    beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'mip-verify-values-'))));
    afterEach(() => rm(dir, { recursive: true, force: true }));

    async function values(name: string, text: string): Promise<string> {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    }

    it('reads a YAML mapping, and an empty file as no values', async () => {
      expect(await readValuesFile(await values('a.yaml', 'localnodes: 3\nexaflow_images:\n  version: "1.2"\n'))).to.deep.equal({
        localnodes: 3,
        exaflow_images: { version: '1.2' },
      });
      expect(await readValuesFile(await values('empty.yaml', '# nothing set\n'))).to.deep.equal({});
    });

    it("names the file whose YAML does not parse, with the first line of the parser's message", async () => {
      const path = await values('bad.yaml', 'localnodes: [1, 2\nmanaged_cluster: false\n');
      const error: unknown = await readValuesFile(path).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).message).to.match(
        new RegExp(`^values file '${path.replace(/[.\\]/g, '\\$&')}' is not valid YAML: [^\\n]+$`),
      );
      expect((error as ConfigError).hint).to.equal('fix the file, or check it with `helm template -f <file> <chart>`');
    });

    it('names the file that is not a mapping, and the file that cannot be read', async () => {
      const list = await values('list.yaml', '- localnodes\n- 3\n');
      const notMapping: unknown = await readValuesFile(list).catch((e: unknown) => e);
      expect(notMapping).to.be.instanceOf(ConfigError).with.property('message', `values file '${list}' is not a mapping of keys to values`);
      const missing = join(dir, 'missing.yaml');
      const unreadable: unknown = await readValuesFile(missing).catch((e: unknown) => e);
      expect(unreadable).to.be.instanceOf(ConfigError).with.property('message', `values file '${missing}' cannot be read`);
    });

    it("reads a chart's values.yaml as its defaults, and none when it has none", async () => {
      const chart = join(dir, 'chart');
      await mkdir(chart);
      expect(await chartDefaults(chart)).to.deep.equal({});
      await writeFile(join(chart, 'values.yaml'), 'managed_cluster: false\n');
      expect(await chartDefaults(chart)).to.deep.equal({ managed_cluster: false });
    });
  });

  it('merges values as Helm does: mappings key by key, lists and scalars replaced', () => {
    const chart = {
      storage: { hostPath: { db: { localworker: '/opt/a', globalworker: '/opt/g' } } },
      images: ['a', 'b'],
      localnodes: 2,
      ui: { ingress: { enabled: true } },
    };
    const user = { storage: { hostPath: { db: { localworker: '/data' } } }, images: ['c'], localnodes: 3, ui: 'plain' };
    expect(mergeValues(chart, user)).to.deep.equal({
      storage: { hostPath: { db: { localworker: '/data', globalworker: '/opt/g' } } },
      images: ['c'],
      localnodes: 3,
      ui: 'plain',
    });
    expect(chart.storage.hostPath.db.localworker).to.equal('/opt/a');
  });

  it('reads a value at a dotted path and builds a tree holding one', () => {
    const values = { storage: { hostPath: { db: { localworker: '/opt/a' } } }, flag: false };
    expect(valueAt(values, 'storage.hostPath.db.localworker')).to.equal('/opt/a');
    expect(valueAt(values, 'flag')).to.equal(false);
    expect(valueAt(values, 'storage.cephfs.size')).to.equal(undefined);
    expect(valueAt(values, 'flag.deeper')).to.equal(undefined);
    expect(valueTree('network.publicHost', 'mip.localhost')).to.deep.equal({ network: { publicHost: 'mip.localhost' } });
    expect(valueTree('localnodes', 2)).to.deep.equal({ localnodes: 2 });
  });

  describe("the guide's older key names", () => {
    it('gives exareme2_images to the Exaflow chart as exaflow_images, with a note', () => {
      const images = { repository: 'madgik', version: 'latest' };
      expect(olderKeys('exaflow', { exareme2_images: images }, { exaflow_images: { repository: 'x' } })).to.deep.equal({
        values: { exaflow_images: images },
        notes: ["values key exareme2_images (the guide's older name) is given to the chart as exaflow_images"],
      });
    });

    it('notes the exareme2-era storage keys as not read by the chart', () => {
      const compat = olderKeys('exaflow', { db: { csvs_location: '/opt/data' }, credentials_location: '/opt/creds' }, {});
      expect(compat.values).to.deep.equal({});
      expect(compat.notes).to.deep.equal([
        'values key credentials_location (exareme2 era) is not read by this chart; data goes where the chart mounts it',
        'values key db.csvs_location (exareme2 era) is not read by this chart; data goes where the chart mounts it',
      ]);
    });

    it('gives managed_cluster to the web chart as cluster.managed', () => {
      expect(olderKeys('web', { managed_cluster: false }, { cluster: { managed: true } })).to.deep.equal({
        values: { cluster: { managed: false } },
        notes: ["values key managed_cluster (the guide's older name) is given to the chart as cluster.managed"],
      });
    });

    it('translates nothing when the chart itself has the older key, or the user also set the new one', () => {
      expect(
        olderKeys(
          'exaflow',
          { exareme2_images: { version: '1' }, db: { csvs_location: '/x' } },
          { exareme2_images: {}, db: { csvs_location: '/y' } },
        ),
      ).to.deep.equal({
        values: {},
        notes: [],
      });
      expect(olderKeys('web', { managed_cluster: false, cluster: { managed: true } }, {})).to.deep.equal({ values: {}, notes: [] });
      expect(olderKeys('exaflow', { managed_cluster: false }, {})).to.deep.equal({ values: {}, notes: [] });
    });
  });
});
