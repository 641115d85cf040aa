import { expect } from 'chai';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';
import { createRunDir, newRunId, pointLatest } from './run-dir.ts';

describe('run directories', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'run-dir-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes run ids that sort by time and differ within one second', () => {
    const first = newRunId(new Date('2026-11-22T13:45:01.999Z'));
    expect(first).to.match(/^20261122-134501-[0-9a-f]{4}$/);
    const later = newRunId(new Date('2026-11-22T13:45:02.000Z'));
    expect([later, first].sort()).to.deep.equal([first, later]);
    const same = new Set(Array.from({ length: 20 }, () => newRunId(new Date('2026-11-22T13:45:01Z'))));
    expect(same.size).to.be.greaterThan(1);
  });

  it('creates the run directory with artifacts/ and refuses to reuse one', async () => {
    const reports = join(dir, 'reports');
    const runDir = await createRunDir(reports, '20261122-134501-a1b2');
    expect(runDir).to.equal(join(reports, '20261122-134501-a1b2'));
    expect(statSync(join(runDir, 'artifacts')).isDirectory()).to.equal(true);
    const again = await createRunDir(reports, '20261122-134501-a1b2').catch((e: unknown) => e);
    expect(again).to.be.instanceOf(ConfigError);
    expect((again as Error).message).to.include(runDir);
  });

  it('points latest at the run with a relative symlink and replaces it for the next run', async () => {
    await createRunDir(dir, 'run-1');
    await createRunDir(dir, 'run-2');
    await pointLatest(dir, 'run-1');
    const latest = join(dir, 'latest');
    expect(lstatSync(latest).isSymbolicLink()).to.equal(true);
    expect(readlinkSync(latest)).to.equal('run-1');
    await pointLatest(dir, 'run-2');
    expect(readlinkSync(latest)).to.equal('run-2');
    expect(realpathSync(latest)).to.equal(realpathSync(join(dir, 'run-2')));
    expect(readdirSync(dir).sort()).to.deep.equal(['latest', 'run-1', 'run-2']);
  });

  it('will not replace a real directory called latest', async () => {
    mkdirSync(join(dir, 'latest'));
    const error = await pointLatest(dir, 'run-1').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect(existsSync(join(dir, 'latest'))).to.equal(true);
  });
});
