import { expect } from 'chai';
import { fakeTools, type FakeTools } from '../../fixtures/support/fake-tools.ts';
import { createTools, localRunner, shellQuote, sshRunner } from './command-runner.ts';

describe('command runners', () => {
  let tools: FakeTools;
  const signal = new AbortController().signal;
  beforeEach(async () => {
    tools = await fakeTools();
  });
  afterEach(() => tools.cleanup());

  it('runs over ssh in batch mode with a connect timeout, quoting each remote word', async () => {
    const runner = sshRunner('ubuntu@vm1', createTools(tools.env));
    const result = await runner.run(['microk8s', 'status', '--format', 'yaml'], { signal });
    expect(result.stdout).to.include('running: true');
    expect(runner.describe).to.equal('ssh ubuntu@vm1');
    expect((await tools.calls())[0]).to.deep.equal([
      'ssh',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      'ubuntu@vm1',
      '--',
      'microk8s',
      'status',
      '--format',
      'yaml',
    ]);
  });

  it('runs locally with the built tools first on PATH', async () => {
    const built = createTools(tools.env);
    expect(built.env.PATH?.split(':')[0]).to.equal(`${tools.env.MIP_VERIFY_CACHE}/bin`);
    const result = await localRunner(built).run(['microk8s', 'stop'], { signal });
    expect(result.stdout.trim()).to.equal('Stopped.');
  });

  it('quotes words a remote shell would split or expand', () => {
    expect(shellQuote('status')).to.equal('status');
    expect(shellQuote('a b')).to.equal("'a b'");
    expect(shellQuote("it's $HOME")).to.equal(`'it'\\''s $HOME'`);
  });
});
