import { expect } from 'chai';
import { XMLValidator } from 'fast-xml-parser';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.ts';
import { rebuildReports, writeReports } from './write.ts';
import { runBegin, runEnd, stamp, suite } from '../../fixtures/support/recorded-events.ts';

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
    const entry = {
      runId: '20261121-020001-ffff',
      startedAt: '2026-11-21T02:00:01.000Z',
      status: 'passed',
      durationMs: 2_400_000,
      suites: [],
    };
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

  it("rebuilds the images' sources from events.jsonl, and refuses a source without its digest", async () => {
    const line = (sources: unknown): string =>
      `${JSON.stringify({ v: 1, seq: 159, at: '2026-11-22T02:44:33.000Z', kind: 'stack.images', imageIds: {}, sources })}\n`;
    const source = { digest: `sha256:${'9f'.repeat(32)}`, revision: '3f1c0de8a1b2c3d4e5f60718293a4b5c6d7e8f90', dirty: false };
    appendFileSync(join(runDir, 'events.jsonl'), line({ 'mip-verify.local/redis:7.0.15': source }));
    await rebuildReports(runDir);
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as { stack: { imageSources?: unknown } };
    expect(report.stack.imageSources).to.deep.equal({ 'mip-verify.local/redis:7.0.15': source });
    expect(readFileSync(join(runDir, 'index.html'), 'utf8')).to.include('built from commit');
    cpSync(join(fixture, 'events.jsonl'), join(runDir, 'events.jsonl'));
    appendFileSync(join(runDir, 'events.jsonl'), line({ 'mip-verify.local/redis:7.0.15': { revision: 'abc' } }));
    expect(((await rebuildReports(runDir).catch((e: unknown) => e)) as Error).message).to.match(
      /field 'sources\.mip-verify\.local\/redis:7\.0\.15\.digest' of its 'stack\.images' event is missing/,
    );
  });

  it('names the path when events.jsonl is missing', async () => {
    rmSync(join(runDir, 'events.jsonl'));
    const error = await rebuildReports(runDir).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.equal(
      `${join(runDir, 'events.jsonl')} does not exist: pass a run directory that holds the events.jsonl of a run.`,
    );
  });

  it('names the line when events.jsonl has one it cannot parse', async () => {
    appendFileSync(join(runDir, 'events.jsonl'), '{"v":1,"seq":159,"at":"2026-11-22T02:44:33.000Z","kind":"run.e');
    const error = await rebuildReports(runDir).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.equal(`Line 159 of ${join(runDir, 'events.jsonl')} is not a valid run event: it is not JSON.`);
    writeFileSync(join(runDir, 'events.jsonl'), '{"v":1,"seq":1,"at":"x","kind":"nonsense"}\n');
    expect(((await rebuildReports(runDir).catch((e: unknown) => e)) as Error).message).to.match(/^Line 1 of /);
  });

  it('names the line and the field of an event that is JSON but lacks what the reports read', async () => {
    writeFileSync(
      join(runDir, 'events.jsonl'),
      '{"v":1,"seq":1,"at":"2026-11-22T02:00:00.000Z","kind":"run.begin","runId":"r","tool":{"name":"m","version":"1"}}\n',
    );
    const error = (await rebuildReports(runDir).catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(ConfigError);
    expect(error.message).to.equal(
      `Line 1 of ${join(runDir, 'events.jsonl')} is not a valid run event: field 'config' of its 'run.begin' event is missing.`,
    );
  });

  it('never throws anything but a ConfigError on a damaged stream: fields dropped, lines cut or shuffled', async () => {
    const lines = readFileSync(join(fixture, 'events.jsonl'), 'utf8').trim().split('\n');
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 60; round += 1) {
      const damaged = lines
        .filter(() => random(5) !== 0)
        .map((line) => {
          const event = JSON.parse(line) as Record<string, unknown>;
          const keys = Object.keys(event);
          if (random(4) === 0) delete event[keys[random(keys.length)] ?? 'kind'];
          return JSON.stringify(event);
        });
      if (random(2) === 0) damaged.reverse();
      writeFileSync(join(runDir, 'events.jsonl'), `${damaged.join('\n')}\n`);
      const error: unknown = await rebuildReports(runDir).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error !== undefined)
        expect(error, `round ${round}: ${error instanceof Error ? error.message : 'not an Error'}`).to.be.instanceOf(ConfigError);
    }
  });

  it('masks credential shapes when rebuilding, even in events written without masking', async () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.payload.signature';
    const leaky = [
      runBegin({ ingressUrl: 'http://admin:hunter22@127.0.0.1:18080' }),
      { kind: 'log', level: 'warn', message: `kubectl said: Authorization: Bearer ${token}` },
      { kind: 'log', level: 'warn', message: 'key:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----' },
      runEnd('passed', 0),
    ] as const;
    writeFileSync(
      join(runDir, 'events.jsonl'),
      `${stamp(leaky)
        .map((e) => JSON.stringify(e))
        .join('\n')}\n`,
    );
    await rebuildReports(runDir);
    for (const file of ['report.json', 'junit.xml', 'index.html']) {
      const text = readFileSync(join(runDir, file), 'utf8');
      for (const secret of ['hunter22', token, 'MIIEvQIBADANBg']) expect(text, `${file} holds ${secret}`).to.not.include(secret);
    }
  });

  it('flags a figure slower than the median of the earlier nights in the JSON, the banner and JUnit', async () => {
    const nights = [1, 2, 3].map((n) => ({
      runId: `night-${n}`,
      startedAt: `2026-11-1${n}T02:00:00.000Z`,
      status: 'passed',
      durationMs: 60_000,
      suites: [],
      figures: { 'smoke: workflow run time': 3000 },
    }));
    writeFileSync(join(dir, 'history.jsonl'), `${nights.map((n) => JSON.stringify(n)).join('\n')}\n`);
    const tonight = stamp([
      runBegin({ regressionThresholdPct: 50 }),
      ...suite('smoke', [['a', 'passed']]),
      { kind: 'metric', suite: 'smoke', name: 'workflow run time', value: 7000, unit: 'ms' },
      runEnd('passed', 0),
    ]);
    const other = join(dir, 'tonight');
    mkdirSync(other);
    await writeReports(other, tonight);
    const report = JSON.parse(readFileSync(join(other, 'report.json'), 'utf8')) as { regressions: unknown[] };
    expect(report.regressions).to.deep.equal([
      { figure: 'smoke: workflow run time', valueMs: 7000, medianMs: 3000, nights: 3, changePct: 133 },
    ]);
    expect(readFileSync(join(other, 'index.html'), 'utf8'))
      .to.include('Slower than the trend (1)')
      .and.include('smoke: workflow run time: 7.0 s, +133% on the median of 3 nights (3.0 s)');
    const junit = readFileSync(join(other, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(junit)).to.equal(true);
    expect(junit).to.include(
      '<property name="regression: smoke: workflow run time" value="7000 ms, +133% on the median of 3 nights (3000 ms)"/>',
    );
  });
});
