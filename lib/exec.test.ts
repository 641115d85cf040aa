import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { HarnessError } from './errors.ts';
import { ToolError, formatCommand, killAllChildren, runTool } from './exec.ts';
import { fileURLToPath } from 'node:url';

const env = { PATH: [fileURLToPath(new URL('../fixtures/bin', import.meta.url)), process.env.PATH ?? ''].join(delimiter) };

async function failure(promise: Promise<unknown>): Promise<ToolError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ToolError).and.instanceOf(HarnessError);
    return error as ToolError;
  }
  throw new Error('expected a ToolError');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForFile(path: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const text = await readFile(path, 'utf8').catch(() => '');
    if (text) return text;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${path} never appeared`);
}

describe('runTool', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'exec-test-'));
  });
  afterEach(async () => {
    killAllChildren();
    await rm(dir, { recursive: true, force: true });
  });

  it('returns stdout, stderr and exit code 0, and passes argv through unchanged', async () => {
    const log = join(dir, 'argv.log');
    const result = await runTool('fake-exit.mjs', ['--stdout', 'hello world', 'a b', "it's"], { env: { ...env, FAKE_TOOL_LOG: log } });
    expect(result).to.deep.equal({ stdout: 'hello world', stderr: '', exitCode: 0 });
    expect(JSON.parse(await readFile(log, 'utf8'))).to.deep.equal(['--stdout', 'hello world', 'a b', "it's"]);
  });

  it('fails with the reason first, then the command, then the last 20 stderr lines', async () => {
    const error = await failure(runTool('fake-exit.mjs', ['--code', '3', '--stderr-lines', '25', 'a b'], { env }));
    const lines = error.message.split('\n');
    expect(lines[0]).to.equal('fake-exit.mjs exited with code 3');
    expect(lines[1]).to.equal("$ fake-exit.mjs --code 3 --stderr-lines 25 'a b'");
    expect(lines.slice(2)).to.have.length(20);
    expect(lines[2]).to.equal('error line 6');
    expect(lines.at(-1)).to.equal('error line 25');
    expect(error).to.include({ exitCode: 3, timedOut: false, canceled: false, kind: 'tool' });
    expect(error.stderr.split('\n')).to.have.length(26);
  });

  it('says when a command is not on PATH', async () => {
    const error = await failure(runTool('no-such-tool-here', ['x'], { env }));
    expect(error.message.split('\n')[0]).to.equal('no-such-tool-here was not found on PATH');
    expect(error.exitCode).to.equal(127);
    expect(error.hint).to.contain('Install no-such-tool-here');
  });

  it('kills a tool that runs past its timeout and says so', async () => {
    const pidFile = join(dir, 'pid');
    const started = performance.now();
    // Long enough for node to start the fake and write its pid even on a busy machine.
    const error = await failure(runTool('fake-sleep.mjs', ['--pid-file', pidFile], { env, timeoutMs: 1500 }));
    expect(error.message.split('\n')[0]).to.equal('fake-sleep.mjs timed out after 1.5s');
    expect(error.timedOut).to.equal(true);
    expect(performance.now() - started).to.be.lessThan(5_000);
    expect(alive(Number(await readFile(pidFile, 'utf8')))).to.equal(false);
  });

  it('kills the child on abort; the pid is gone afterwards', async () => {
    const pidFile = join(dir, 'pid');
    const controller = new AbortController();
    const run = runTool('fake-sleep.mjs', ['--pid-file', pidFile], { env, signal: controller.signal });
    const pid = Number(await waitForFile(pidFile));
    expect(alive(pid)).to.equal(true);
    controller.abort(new HarnessError('interrupted', 'Interrupted'));
    const error = await failure(run);
    expect(error.message.split('\n')[0]).to.equal('fake-sleep.mjs was canceled');
    expect(error.canceled).to.equal(true);
    expect(error.cause).to.be.instanceOf(HarnessError);
    expect(alive(pid)).to.equal(false);
  });

  it('escalates to SIGKILL when the tool ignores SIGTERM', async function () {
    this.timeout(10_000);
    const pidFile = join(dir, 'pid');
    const controller = new AbortController();
    const run = runTool('fake-sleep.mjs', ['--pid-file', pidFile, '--ignore-term'], { env, signal: controller.signal });
    const pid = Number(await waitForFile(pidFile));
    const started = performance.now();
    controller.abort();
    const error = await failure(run);
    expect(performance.now() - started).to.be.within(1_500, 5_000);
    expect(error.exitCode).to.equal(128 + 9);
    expect(alive(pid)).to.equal(false);
  });

  it('does not start a tool when the signal is already aborted', async () => {
    const log = join(dir, 'argv.log');
    const error = await failure(runTool('fake-exit.mjs', [], { env: { ...env, FAKE_TOOL_LOG: log }, signal: AbortSignal.abort() }));
    expect(error.canceled).to.equal(true);
    expect(await readFile(log, 'utf8').catch(() => 'not run')).to.equal('not run');
  });

  it('writes input to stdin and sets extra environment variables', async () => {
    const result = await runTool('fake-cat.mjs', ['MIP_TEST_VALUE'], {
      env: { ...env, MIP_TEST_VALUE: 'forty-two' },
      input: 'kind: Pod\n',
    });
    expect(result.stdout).to.equal('kind: Pod\n');
    expect(result.stderr).to.equal('MIP_TEST_VALUE=forty-two\n');
  });

  it('streams every stdout and stderr line to onLine', async () => {
    const lines: string[] = [];
    await runTool('fake-exit.mjs', ['--lines', '3', '--stderr-lines', '1', '--code', '0'], { env, onLine: (line) => lines.push(line) });
    expect(lines).to.have.members(['progress 1', 'progress 2', 'progress 3', 'error line 1']);
  });

  it('redacts secrets from the message, the command and the output fields', async () => {
    const error = await failure(
      runTool('fake-exit.mjs', ['--code', '1', '--stdout', 's3cret-token', '--password=s3cret-token'], { env, redact: ['s3cret-token'] }),
    );
    expect(error.message).not.to.contain('s3cret-token');
    expect(error.command).to.equal('fake-exit.mjs --code 1 --stdout *** --password=***');
    expect(error.stdout).to.equal('***');
  });

  it('killAllChildren stops every child still running', async () => {
    const pidFile = join(dir, 'pid');
    const run = runTool('fake-sleep.mjs', ['--pid-file', pidFile], { env });
    const pid = Number(await waitForFile(pidFile));
    expect(killAllChildren()).to.equal(1);
    const error = await failure(run);
    expect(error.message.split('\n')[0]).to.equal('fake-sleep.mjs was killed by SIGKILL');
    expect(alive(pid)).to.equal(false);
  });
});

describe('formatCommand', () => {
  it('quotes only the arguments a shell would split or expand', () => {
    expect(formatCommand('helm', ['upgrade', '--set', 'a=b,c=d', 'x y', '$HOME', "it's", ''])).to.equal(
      `helm upgrade --set a=b,c=d 'x y' '$HOME' 'it'\\''s' ''`,
    );
  });
});
