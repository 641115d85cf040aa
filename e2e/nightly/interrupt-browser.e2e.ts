// SIGTERM while the sessions suite has Chromium open, as a CI system cancels a job: the run tears down the
// cluster it created, exits 143, and leaves no node container, no Chromium and no other child behind.
import { expect } from 'chai';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../../lib/exec.ts';
import { delay } from '../../lib/wait.ts';
import { leftovers, startCli } from '../support.ts';

const name = 'mip-verify-brw';
// kind also binds the next port: 18094 and 18095 stay clear of the other clusters' pairs.
const port = '18094';

/** Chromium processes started by Playwright (their profile folder names them). */
async function chromiums(): Promise<string> {
  return runTool('pgrep', ['-f', 'playwright_chromiumdev_profile']).then(
    (r) => r.stdout.trim(),
    () => '',
  );
}

describe('an interrupt while a browser suite runs @nightly', function () {
  this.timeout(30 * 60_000);

  it('tears down the cluster on SIGTERM during sessions, with Chromium open, and exits 143', async () => {
    expect(await leftovers(name), 'nothing of an earlier run is left').to.deep.equal([]);
    expect(await chromiums(), 'no Chromium running before the run').to.equal('');
    const reportDir = await mkdtemp(join(tmpdir(), 'mip-verify-e2e-'));
    const { child, output, exited } = startCli(['--suite', 'sessions', '--name', name, '--http-port', port, '--report-dir', reportDir]);
    for (let i = 0; i < 20 * 60 && (await chromiums()) === ''; i++) await delay(1000);
    expect(await chromiums(), `Chromium started by the sessions suite\n${output()}`).to.not.equal('');
    await delay(3000);
    const sent = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    process.stdout.write(`      (SIGTERM to exit: ${Math.round((Date.now() - sent) / 1000)} s)\n`);
    expect(code, output()).to.equal(143);
    expect(await leftovers(name)).to.deep.equal([]);
    expect(await chromiums(), 'Chromium left running').to.equal('');
    expect(
      await runTool('pgrep', ['-f', name]).then(
        (r) => r.stdout.trim(),
        () => '',
      ),
      'a child of the run left running',
    ).to.equal('');
    const events = (await readFile(join(reportDir, 'latest', 'events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; title?: string; status?: string; exitCode?: number });
    expect(events.filter((e) => e.kind === 'teardown' && /kind cluster/.test(e.title ?? '')).map((e) => e.status)).to.deep.equal([
      'passed',
    ]);
    expect(events.at(-1)).to.include({ kind: 'run.end', status: 'interrupted', exitCode: 143 });
  });
});
