import { expect } from 'chai';
import { allVariables, datasetsOf, modelId } from './data.ts';
import { DEFAULT_SEED, generateData } from './generate.ts';

describe('exaflow/generate', () => {
  it('gives the same data for the same seed, and names the seed as its origin', () => {
    expect(generateData(7)).to.deep.equal(generateData(7));
    expect(generateData(7).origin).to.equal('generated (seed 7)');
    expect(generateData().origin).to.equal(`generated (seed ${DEFAULT_SEED})`);
  });

  it('gives different rows for different seeds, with the same models and files', () => {
    const [a, b] = [generateData(1), generateData(2)];
    expect(a.models.map((m) => m.files.map((f) => f.name))).to.deep.equal(b.models.map((m) => m.files.map((f) => f.name)));
    expect(a.models[0]?.files[0]?.rows).to.not.deep.equal(b.models[0]?.files[0]?.rows);
  });

  it('writes the code of its dataset in every row of a dataset file', () => {
    for (const model of generateData().models) {
      for (const file of model.files) {
        expect(file.rows.length, file.name).to.be.greaterThan(0);
        expect(
          datasetsOf(file).map((code) => `${code}.csv`),
          `${modelId(model)} ${file.name}`,
        ).to.deep.equal([file.name]);
        expect(file.rows.every((row) => row.dataset !== undefined && row.dataset !== '')).to.equal(true);
      }
    }
  });

  it("lists every dataset of a model among the enumerations of its metadata's dataset variable", () => {
    for (const model of generateData().models) {
      const dataset = allVariables(model.metadata).find((v) => v.code === 'dataset');
      expect(dataset?.isCategorical, modelId(model)).to.equal(true);
      const codes = model.files.flatMap(datasetsOf);
      expect(
        dataset?.enumerations?.map((e) => e.code),
        modelId(model),
      ).to.deep.equal(codes);
    }
  });

  it('fills numerical columns within their bounds and categorical ones with their codes, leaving some cells empty', () => {
    const data = generateData();
    let missing = 0;
    for (const model of data.models) {
      const rows = model.files.flatMap((f) => f.rows);
      for (const variable of allVariables(model.metadata).filter((v) => v.code !== 'dataset')) {
        const cells = rows.map((row) => row[variable.code] ?? '');
        const present = cells.filter((c) => c !== '');
        missing += cells.length - present.length;
        if (variable.isCategorical) {
          expect(
            present.every((c) => variable.enumerations?.some((e) => e.code === c)),
            variable.code,
          ).to.equal(true);
        } else {
          expect(
            present.map(Number).every((n) => n >= (variable.min ?? -Infinity) && n <= (variable.max ?? Infinity)),
            variable.code,
          ).to.equal(true);
        }
      }
    }
    expect(missing).to.be.greaterThan(0);
    expect(data.models.map(modelId)).to.deep.equal(['dementia:0.1', 'tbi:0.1']);
  });
});
