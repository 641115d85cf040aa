import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';
import { allVariables, datasetsOf, modelId, readDataDir, type CdeGroup, type CdeMetadata } from './data.ts';

const METADATA: CdeMetadata = {
  code: 'dementia',
  version: '0.1',
  label: 'Dementia',
  variables: [
    { code: 'dataset', label: 'Dataset', sql_type: 'text', isCategorical: true, enumerations: [{ code: 'edsd0', label: 'EDSD 0' }] },
  ],
  groups: [
    {
      code: 'brain',
      label: 'Brain',
      variables: [{ code: 'lefthippocampus', label: 'Left hippocampus', sql_type: 'real', isCategorical: false }],
    },
  ],
};

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the promise should reject').to.be.instanceOf(Error);
  return error as Error;
}

describe('exaflow/data', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'mip-verify-data-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** Writes a pathology folder; `metadata` is the CDEsMetadata.json text (undefined: no file). */
  async function pathology(folder: string, metadata: string | undefined, csvs: Record<string, string>): Promise<string> {
    const path = join(dir, folder);
    await mkdir(path, { recursive: true });
    if (metadata !== undefined) await writeFile(join(path, 'CDEsMetadata.json'), metadata);
    for (const [name, text] of Object.entries(csvs)) await writeFile(join(path, name), text);
    return path;
  }

  it('reads one model per pathology folder, sorted, with its CSV rows and empty cells kept as missing values', async () => {
    await pathology('tbi_v_0_1', JSON.stringify({ ...METADATA, code: 'tbi' }), { 'dummy_tbi0.csv': 'dataset,gcs\ndummy_tbi0,12\n' });
    await pathology('dementia_v_0_1', JSON.stringify(METADATA), {
      'edsd1.csv': 'dataset,lefthippocampus\nedsd1,3.1\n',
      'edsd0.csv': 'dataset,lefthippocampus\nedsd0,2.5\nedsd0,\n',
      'notes.txt': 'not data',
    });
    await writeFile(join(dir, 'README.md'), 'a stray file at the top level');
    const data = await readDataDir(dir);
    expect(data.origin).to.equal(dir);
    expect(data.models.map((m) => [m.folder, modelId(m)])).to.deep.equal([
      ['dementia_v_0_1', 'dementia:0.1'],
      ['tbi_v_0_1', 'tbi:0.1'],
    ]);
    const dementia = data.models[0];
    expect(dementia?.metadata).to.deep.equal(METADATA);
    expect(dementia?.files.map((f) => f.name)).to.deep.equal(['edsd0.csv', 'edsd1.csv']);
    expect(dementia?.files[0]?.rows).to.deep.equal([
      { dataset: 'edsd0', lefthippocampus: '2.5' },
      { dataset: 'edsd0', lefthippocampus: '' },
    ]);
  });

  it('names the folder that has no CDEsMetadata.json', async () => {
    const path = await pathology('dementia_v_0_1', undefined, { 'edsd0.csv': 'dataset\nedsd0\n' });
    const error = await failure(readDataDir(dir));
    expect(error).to.be.instanceOf(ConfigError);
    expect(error.message).to.equal(`pathology folder '${path}' has no CDEsMetadata.json`);
  });

  it('names the metadata file that is not valid JSON', async () => {
    const path = await pathology('dementia_v_0_1', '{"code": "dementia",', { 'edsd0.csv': 'dataset\nedsd0\n' });
    const error = await failure(readDataDir(dir));
    expect(error).to.be.instanceOf(ConfigError);
    expect(error.message).to.match(new RegExp(`^${literal(join(path, 'CDEsMetadata.json'))} is not valid JSON: `));
  });

  it('names the metadata file that lacks a string code or version', async () => {
    const path = await pathology('dementia_v_0_1', JSON.stringify({ code: 'dementia', version: 1 }), { 'edsd0.csv': 'dataset\nedsd0\n' });
    const error = await failure(readDataDir(dir));
    expect(error).to.be.instanceOf(ConfigError);
    expect(error.message).to.equal(`${join(path, 'CDEsMetadata.json')} lacks a string "code" and "version" (Exaflow skips such a folder)`);
  });

  it('names the pathology folder that has no CSV file', async () => {
    const path = await pathology('dementia_v_0_1', JSON.stringify(METADATA), { 'edsd0.tsv': 'dataset\tx\n' });
    const error = await failure(readDataDir(dir));
    expect(error).to.be.instanceOf(ConfigError);
    expect(error.message).to.equal(`pathology folder '${path}' has no CSV file`);
  });

  it('names a data directory that is missing or holds no pathology folder', async () => {
    const missing = join(dir, 'absent');
    const unreadable = await failure(readDataDir(missing));
    expect(unreadable).to.be.instanceOf(ConfigError);
    expect(unreadable.message).to.equal(`data directory '${missing}' cannot be read`);
    const empty = await failure(readDataDir(dir));
    expect(empty).to.be.instanceOf(ConfigError);
    expect(empty.message).to.equal(`data directory '${dir}' holds no pathology folder`);
  });

  it('lists the variables of nested groups after the top-level ones, depth first', () => {
    const variable = (code: string) => ({ code, label: code, sql_type: 'real', isCategorical: false });
    const tree: CdeGroup = {
      code: 'root',
      label: 'Root',
      variables: [variable('dataset')],
      groups: [
        {
          code: 'a',
          label: 'A',
          variables: [variable('a1')],
          groups: [{ code: 'a-inner', label: 'A inner', variables: [variable('a2')] }],
        },
        { code: 'b', label: 'B', groups: [{ code: 'b-inner', label: 'B inner', variables: [variable('b1')], groups: [] }] },
      ],
    };
    expect(allVariables(tree).map((v) => v.code)).to.deep.equal(['dataset', 'a1', 'a2', 'b1']);
    expect(allVariables({ code: 'empty', label: 'Empty' })).to.deep.equal([]);
  });

  it('gives the dataset codes of a file in first-seen order, skipping empty and absent cells', () => {
    const rows: Record<string, string>[] = [
      { dataset: 'ppmi1' },
      { dataset: 'ppmi0' },
      { dataset: '' },
      { other: 'x' },
      { dataset: 'ppmi1' },
    ];
    expect(datasetsOf({ name: 'mixed.csv', rows })).to.deep.equal(['ppmi1', 'ppmi0']);
  });
});

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
