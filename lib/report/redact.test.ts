import { expect } from 'chai';
import { createRedactor, createSecretStore, maskCredentials } from './redact.ts';

describe('redaction', () => {
  it('masks secrets deep inside objects and arrays and leaves other values alone', () => {
    const redact = createRedactor(['hunter22', '']);
    const input = { a: 'x hunter22 y', n: 42, ok: true, none: null, list: [{ b: 'hunter22hunter22' }, 7] };
    expect(redact(input)).to.deep.equal({ a: 'x *** y', n: 42, ok: true, none: null, list: [{ b: '******' }, 7] });
    expect(input.a).to.equal('x hunter22 y');
  });

  it('leaves values shorter than 4 characters unmasked', () => {
    expect(createRedactor(['abc', 'ab'])({ a: 'abc' })).to.deep.equal({ a: 'abc' });
  });

  it('masks credential shapes it was never told about, and leaves ordinary words alone', () => {
    const cases: [string, string][] = [
      [
        'users:\n- user:\n    token: abcdef123456\n    client-key-data: LS0tLS1C',
        'users:\n- user:\n    token: ***\n    client-key-data: ***',
      ],
      ['GET http://admin:pw1234@127.0.0.1:18080/x', 'GET http://***@127.0.0.1:18080/x'],
      ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.a.b', 'Authorization: Bearer ***'],
      ['{"authorization":"Basic dXNlcjpwYXNz"}', '{"authorization":"Basic ***"}'],
      [
        '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKC\n-----END RSA PRIVATE KEY-----',
        '-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----',
      ],
      ['kubectl --password=abcd1234 get pods; POSTGRES_PASSWORD=s3cr3t', 'kubectl --password=*** get pods; POSTGRES_PASSWORD=***'],
      ['volumes:\n- secret:\n    secretName: web-tls', 'volumes:\n- secret:\n    secretName: web-tls'],
      ['a password and a token are words; see https://example.org/a', 'a password and a token are words; see https://example.org/a'],
    ];
    for (const [input, expected] of cases) expect(maskCredentials(input), input).to.equal(expected);
  });

  it('masks values added to a store from then on, longest first', () => {
    const store = createSecretStore(['hunter22']);
    expect(store.text('hunter22 abcdefgh')).to.equal('*** abcdefgh');
    store.add(['abcdefgh', 'abcdefghij']);
    expect(store.text('abcdefghij abcdefgh')).to.equal('*** ***');
  });
});
