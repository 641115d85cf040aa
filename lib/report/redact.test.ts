import { expect } from 'chai';
import { createRedactor } from './redact.ts';

describe('redaction', () => {
  it('masks secrets deep inside objects and arrays and leaves other values alone', () => {
    const redact = createRedactor(['hunter22', '']);
    const input = { a: 'x hunter22 y', n: 42, ok: true, none: null, list: [{ b: 'hunter22hunter22' }, 7] };
    expect(redact(input)).to.deep.equal({ a: 'x *** y', n: 42, ok: true, none: null, list: [{ b: '******' }, 7] });
    expect(input.a).to.equal('x hunter22 y');
  });

  it('returns values unchanged when no secret is long enough to mask', () => {
    const value = { a: 'abc' };
    expect(createRedactor(['abc', 'ab'])(value)).to.equal(value);
  });
});
