import { expect } from 'chai';
import { ConfigError } from '../errors.ts';
import { disruptiveSuites, parseSuites, SUITES } from './suites.ts';
import { SUITE_NAMES } from './types.ts';

describe('config/suites', () => {
  it('lists the six suites in the order all runs them, each with a description', () => {
    expect(SUITES.map((suite) => suite.name)).to.deep.equal([...SUITE_NAMES]);
    expect(SUITE_NAMES).to.deep.equal(['smoke', 'sessions', 'scaling', 'chaos', 'cleanup', 'recovery']);
    for (const suite of SUITES) expect(suite.description).to.match(/^\S.{10,}$/);
  });

  it('reads all as every suite', () => {
    expect(parseSuites('all')).to.deep.equal([...SUITE_NAMES]);
  });

  it('removes duplicates and puts the suites in canonical order', () => {
    expect(parseSuites('recovery,smoke, chaos,smoke')).to.deep.equal(['smoke', 'chaos', 'recovery']);
    expect(parseSuites(['cleanup', 'smoke,cleanup'])).to.deep.equal(['smoke', 'cleanup']);
    expect(parseSuites('chaos,all')).to.deep.equal([...SUITE_NAMES]);
  });

  it('names an unknown suite and lists the valid ones', () => {
    expect(() => parseSuites('smoke,nope'))
      .to.throw(ConfigError)
      .with.property('message', "Unknown suite 'nope'. Valid suites: smoke, sessions, scaling, chaos, cleanup, recovery, all.");
  });

  it('refuses an empty selection', () => {
    expect(() => parseSuites(' , ')).to.throw(ConfigError, /--suite is empty/);
  });

  it('knows which suites disrupt the cluster', () => {
    expect(disruptiveSuites(parseSuites('all'))).to.deep.equal(['chaos', 'recovery']);
    expect(disruptiveSuites(['smoke', 'cleanup'])).to.deep.equal([]);
  });
});
