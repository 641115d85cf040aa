import { expect } from 'chai';
import { ConfigError } from '../errors.ts';
import { asBoolean, asCount, asDuration, asImages, asPort, asUrl, parseDuration } from './parse.ts';

describe('config/parse', () => {
  it('reads durations with h, m, s and ms units, alone or combined', () => {
    expect(parseDuration('5m')).to.equal(300_000);
    expect(parseDuration('90s')).to.equal(90_000);
    expect(parseDuration('1m30s')).to.equal(90_000);
    expect(parseDuration('850ms')).to.equal(850);
    expect(parseDuration('1h')).to.equal(3_600_000);
    expect(parseDuration(' 2m ')).to.equal(120_000);
  });

  it('rejects what is not a duration, naming the value and the source', () => {
    for (const bad of ['5x', '5', 'm5', '1.5m', '', '-1m']) expect(parseDuration(bad), bad).to.equal(undefined);
    expect(() => asDuration('5x', '--slo'))
      .to.throw(ConfigError)
      .with.property('message', "Invalid value '5x' for --slo: use a duration such as 5m, 90s or 1m30s.");
    expect(() => asDuration('0s', '--slo')).to.throw(ConfigError);
    expect(() => asDuration(300, "'slo' in x.yaml")).to.throw(ConfigError, /'300' for 'slo' in x.yaml/);
  });

  it('reads whole counts and rejects negatives, fractions and words', () => {
    expect(asCount('3', '--trials', 1)).to.equal(3);
    expect(asCount(5, 'file', 1)).to.equal(5);
    for (const bad of ['-3', '2.5', 'abc', '0', '', '1e3']) {
      expect(() => asCount(bad, '--trials', 1), bad).to.throw(
        ConfigError,
        `Invalid value '${bad}' for --trials: use a whole number of 1 or more.`,
      );
    }
  });

  it('reads ports from 1 to 65535', () => {
    expect(asPort('18080', '--http-port')).to.equal(18080);
    expect(() => asPort('70000', '--http-port')).to.throw(
      ConfigError,
      "Invalid value '70000' for --http-port: use a port number from 1 to 65535.",
    );
    expect(() => asPort('0', '--http-port')).to.throw(ConfigError);
  });

  it('reads image overrides as name=ref pairs or a mapping', () => {
    expect(asImages(['streamlit=reg.local/st:1', 'redis=redis:7=x'], '--image')).to.deep.equal({
      streamlit: 'reg.local/st:1',
      redis: 'redis:7=x',
    });
    expect(asImages('a=b, c=d', 'MIP_VERIFY_IMAGE')).to.deep.equal({ a: 'b', c: 'd' });
    expect(asImages({ web: 'web:2' }, 'file')).to.deep.equal({ web: 'web:2' });
    expect(() => asImages(['streamlit'], '--image')).to.throw(ConfigError, /Invalid value 'streamlit' for --image: write name=ref/);
    expect(() => asImages(['=x'], '--image')).to.throw(ConfigError);
  });

  it('reads booleans from flags, files and environment words', () => {
    expect(asBoolean(true, 'file')).to.equal(true);
    expect(asBoolean('1', 'env')).to.equal(true);
    expect(asBoolean('no', 'env')).to.equal(false);
    expect(() => asBoolean('maybe', 'MIP_VERIFY_KEEP')).to.throw(ConfigError, /use true or false/);
  });

  it('reads ingress URLs without a trailing slash', () => {
    expect(asUrl('https://mip.example.org/', '--ingress-url')).to.equal('https://mip.example.org');
    expect(() => asUrl('mip.example.org', '--ingress-url')).to.throw(ConfigError);
  });
});
