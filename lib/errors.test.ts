import { expect } from 'chai';
import { ConfigError, ExitCode, HarnessError, exitCodeFor } from './errors.ts';

describe('exitCodeFor', () => {
  it('maps configuration errors to 2', () => {
    expect(exitCodeFor(new ConfigError('bad'))).to.equal(ExitCode.usage);
  });
  it('maps an interrupt to 130', () => {
    expect(exitCodeFor(new HarnessError('interrupted', 'stopped'))).to.equal(130);
  });
  it('maps infrastructure and unknown errors to 3', () => {
    expect(exitCodeFor(new HarnessError('provision', 'no cluster'))).to.equal(3);
    expect(exitCodeFor(new Error('boom'))).to.equal(3);
  });
});
