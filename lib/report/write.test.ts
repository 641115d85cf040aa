import { expect } from 'chai';
import { XMLValidator } from 'fast-xml-parser';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.ts';
import { rebuildReports, writeReports } from './write.ts';
import { runBegin, runEnd, stamp, suite } from './test-events.ts';

const fixture = fileURLToPath(new URL('../../fixtures/runs/openms-nightly-failed/', import.meta.url));

describe('writing reports', () => {
  let dir: string;
  let runDir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'write-'));
    runDir = join(dir, '20261122-020003-7c4e');
    mkdirSync(runDir);
    cpSync(join(fixture, 'events.jsonl'), join(runDir, 'events.jsonl'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rebuilds report.json, junit.xml and index.html from events.jsonl', async () => {
    await rebuildReports(runDir);
    expect(readdirSync(runDir).sort()).to.deep.equal(['events.jsonl', 'index.html', 'junit.xml', 'report.json']);
    expect(readFileSync(join(runDir, 'report.json'), 'utf8')).to.equal(readFileSync(join(fixture, 'expected-report.json'), 'utf8'));
    expect(XMLValidator.validate(readFileSync(join(runDir, 'junit.xml'), 'utf8'))).to.equal(true);
    expect(readFileSync(join(runDir, 'index.html'), 'utf8')).to.match(/^<!doctype html>/);
  });

  it('includes the trend from the parent history.jsonl when present', async () => {
    const entry = { runId: '20261121-020001-ffff', startedAt: '2026-11-21T02:00:01.000Z', status: 'passed', durationMs: 2_400_000, suites: [] };
    writeFileSync(join(dir, 'history.jsonl'), `${JSON.stringify(entry)}\n`);
    await rebuildReports(runDir);
    const html = readFileSync(join(runDir, 'index.html'), 'utf8');
    expect(html).to.include('id="history"');
    expect(html).to.include('20261121-020001-ffff');
  });

  it('writes live events the same way', async () => {
    const other = join(dir, 'live');
    mkdirSync(other);
    await writeReports(other, stamp([runBegin(), ...suite('smoke', [['a', 'passed']]), runEnd('passed', 0)]));
    expect(JSON.parse(readFileSync(join(other, 'report.json'), 'utf8'))).to.include({ status: 'passed', exitCode: 0 });
    expect(readdirSync(other).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
  });

  it('names the path when events.jsonl is missing', async () => {
    rmSync(join(runDir, 'events.jsonl'));
    const error = await rebuildReports(runDir).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.equal(`${join(runDir, 'events.jsonl')} does not exist: pass a run directory that holds the events.jsonl of a run.`);
  });

  it('names the line when events.jsonl has one it cannot parse', async () => {
    appendFileSync(join(runDir, 'events.jsonl'), '{"v":1,"seq":159,"at":"2026-11-22T02:44:33.000Z","kind":"run.e');
    const error = await rebuildReports(runDir).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.equal(`Line 159 of ${join(runDir, 'events.jsonl')} is not a valid run event.`);
    writeFileSync(join(runDir, 'events.jsonl'), '{"v":1,"seq":1,"at":"x","kind":"nonsense"}\n');
    expect(((await rebuildReports(runDir).catch((e: unknown) => e)) as Error).message).to.match(/^Line 1 of /);
  });
});
