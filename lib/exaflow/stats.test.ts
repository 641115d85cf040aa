import { expect } from 'chai';
import type { MipData } from './data.ts';
import {
  ALL_DATASETS,
  compareDescriptive,
  expectedDescriptive,
  pooled,
  pooledLines,
  quantile,
  summarize,
  type ExpectedEntry,
} from './stats.ts';

const ONE_TO_TEN = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];

/** A model with a numerical `x`, a categorical `g`, 12 rows in d0 and 5 in d1. */
const DATA: MipData = {
  origin: 'test',
  models: [
    {
      folder: 'm_v_1',
      metadata: {
        code: 'm',
        version: '1',
        label: 'M',
        variables: [{ code: 'dataset', label: 'Dataset', sql_type: 'text', isCategorical: true }],
        groups: [
          {
            code: 'g',
            label: 'G',
            variables: [
              { code: 'x', label: 'X', sql_type: 'real', isCategorical: false },
              { code: 'g', label: 'G', sql_type: 'text', isCategorical: true },
            ],
          },
        ],
      },
      files: [
        { name: 'd0.csv', rows: [...ONE_TO_TEN, '', '11'].map((x) => ({ dataset: 'd0', x, g: 'F' })) },
        { name: 'd1.csv', rows: ['20', '20', '20', '20', '20'].map((x) => ({ dataset: 'd1', x, g: 'M' })) },
      ],
    },
  ],
};

/** An answer whose variable_based list is exactly the expected entries. */
function answerOf(entries: readonly ExpectedEntry[]): { variable_based: unknown[] } {
  return {
    variable_based: entries.map((e) => ({ variable: e.variable, dataset: e.dataset, data: e.data === null ? null : { ...e.data } })),
  };
}

describe('exaflow/stats', () => {
  it('summarizes cells with their mean, sample standard deviation, min, quartiles and max, counting empty cells as missing', () => {
    // 1..10: mean 5.5, squared deviations sum to 82.5, sample variance 82.5 / 9; quartiles as pandas' describe gives them
    expect(summarize([...ONE_TO_TEN, '', ' '])).to.deep.equal({
      num_dtps: 10,
      num_na: 2,
      num_total: 12,
      mean: 5.5,
      std: Math.sqrt(82.5 / 9),
      min: 1,
      q1: 3.25,
      q2: 5.5,
      q3: 7.75,
      max: 10,
    });
    expect(summarize(['2.5', '-1', '2.5', '2.5', '2.5', '2.5', '2.5', '2.5', '2.5', '2.5'])).to.include({ mean: 2.15, min: -1, max: 2.5 });
  });

  it('withholds the statistics of fewer than 10 values, however many cells are empty', () => {
    expect(summarize(ONE_TO_TEN.slice(1))).to.equal(null);
    expect(summarize([...ONE_TO_TEN.slice(1), '', '', ''])).to.equal(null);
    expect(summarize([])).to.equal(null);
  });

  it('interpolates quantiles linearly between the closest ranks', () => {
    expect(quantile([1, 2, 3, 4], 0.25)).to.equal(1.75);
    expect(quantile([1, 2, 3, 4], 0.5)).to.equal(2.5);
    expect(quantile([7], 0.75)).to.equal(7);
  });

  it('expects one entry per numerical variable and dataset, then the pooled one over the datasets not withheld only, without quartiles', () => {
    const entries = expectedDescriptive(DATA, 'm:1', ['d0', 'd1'], ['x', 'g']);
    expect(entries.map((e) => [e.variable, e.dataset, e.data === null ? null : e.data.num_dtps])).to.deep.equal([
      ['x', 'd0', 11],
      ['x', 'd1', null],
      ['x', ALL_DATASETS, 11],
    ]);
    expect(entries[0]?.data).to.include({ num_na: 1, num_total: 12, mean: 6, min: 1, q2: 6, max: 11 });
    // d1 (5 rows) is withheld, so it is not pooled either: the pooled entry is d0's without quartiles.
    expect(entries[2]?.data).to.include({ num_total: 12, mean: 6, max: 11, q1: null, q2: null, q3: null });
    expect(() => expectedDescriptive(DATA, 'other:1', ['d0'], ['x'])).to.throw('data model other:1 is not in the data (m:1)');
  });

  it('pools sums over several datasets: counts added, mean and sample std of all their values', () => {
    const all = pooled([ONE_TO_TEN, ['11', '12', '', '13', '14', '15', '16', '17', '18', '19', '20']]);
    expect(all).to.include({ num_dtps: 20, num_na: 1, num_total: 21, mean: 10.5, min: 1, max: 20, q1: null });
    expect(all?.std).to.be.closeTo(Math.sqrt(35), 1e-12);
    expect(pooled([])).to.equal(null);
  });

  it('wants the pooled quartiles absent or null, and names one that is given', () => {
    const expected = expectedDescriptive(DATA, 'm:1', ['d0'], ['x']);
    const answer = answerOf(expected);
    expect(compareDescriptive(answer, expected)).to.deep.equal([]);
    const all = answer.variable_based[1] as { data: Record<string, unknown> };
    delete all.data.q1;
    expect(compareDescriptive(answer, expected)).to.deep.equal([]);
    all.data.q2 = 6;
    expect(compareDescriptive(answer, expected)).to.deep.equal([`x in ${ALL_DATASETS}: q2 is 6, the CSV files give null`]);
  });

  it('finds no difference between an answer and the entries it was made from', () => {
    const expected = expectedDescriptive(DATA, 'm:1', ['d0', 'd1'], ['x']);
    expect(compareDescriptive(answerOf(expected), expected)).to.deep.equal([]);
  });

  it('names the variable, the dataset and both values of a wrong mean', () => {
    const expected = expectedDescriptive(DATA, 'm:1', ['d0'], ['x']);
    const answer = answerOf(expected);
    const first = answer.variable_based[0] as { data: Record<string, number> };
    first.data.mean = 6.5;
    expect(compareDescriptive(answer, expected)).to.deep.equal(['x in d0: mean is 6.5, the CSV files give 6']);
  });

  it('tolerates differences within the relative precision only', () => {
    const expected = expectedDescriptive(DATA, 'm:1', ['d0'], ['x']);
    const answer = answerOf(expected);
    const first = answer.variable_based[0] as { data: Record<string, number> };
    first.data.std = (first.data.std ?? 0) + 1e-12;
    expect(compareDescriptive(answer, expected)).to.deep.equal([]);
    expect(compareDescriptive(answer, expected, 1e-15)).to.have.length(1);
  });

  it('reports an entry missing from the answer and an answer without a variable_based list', () => {
    const expected = expectedDescriptive(DATA, 'm:1', ['d0'], ['x']);
    const answer = answerOf(expected);
    answer.variable_based.splice(1, 1);
    expect(compareDescriptive(answer, expected)).to.deep.equal([`x in ${ALL_DATASETS}: missing from the result`]);
    expect(compareDescriptive({ model_based: [] }, expected)).to.deep.equal(['the result has no variable_based list']);
    expect(compareDescriptive('Algorithm execution request malformed', expected)).to.deep.equal(['the result has no variable_based list']);
  });

  it('reports statistics withheld where the data has enough rows, and shown where it has too few', () => {
    const expected = expectedDescriptive(DATA, 'm:1', ['d0', 'd1'], ['x']);
    const answer = answerOf(expected);
    const [d0, d1] = answer.variable_based as { data: unknown }[];
    if (!d0 || !d1) throw new Error('the answer should have two dataset entries');
    d0.data = null;
    d1.data = { num_dtps: 5, mean: 20 };
    expect(compareDescriptive(answer, expected)).to.deep.equal([
      'x in d0: withheld, but the data has enough rows',
      'x in d1: should be withheld (fewer than 10 rows)',
    ]);
  });

  it("puts the answer's pooled count, mean and std next to the CSV files' for the report", () => {
    const expected = expectedDescriptive(DATA, 'm:1', ['d0', 'd1'], ['x']);
    const pooled = expected.find((e) => e.dataset === ALL_DATASETS)?.data;
    if (!pooled) throw new Error('the pooled entry should have data');
    const [line] = pooledLines(answerOf(expected), expected);
    expect(line).to.match(/^x, all datasets: num_dtps (\d+) \(CSV files: \1\), mean (\S+) \(CSV files: \2\), std (\S+) \(CSV files: \3\)$/);
    expect(pooledLines({}, expected)[0]).to.include('mean undefined (CSV files:');
  });
});
