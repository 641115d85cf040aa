import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBus } from './bus.ts';
import type { RunEvent } from './events.ts';

describe('event bus', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bus-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const clock = (): (() => Date) => {
    let t = Date.parse('2026-11-22T02:00:00.000Z');
    return () => new Date((t += 250));
  };

  it('stamps v, seq from 1 and the ISO time of its clock', () => {
    const bus = createBus({ now: clock() });
    const first = bus.emit({ kind: 'log', level: 'info', message: 'a' });
    const second = bus.emit({ kind: 'log', level: 'info', message: 'b' });
    expect([first.v, first.seq, first.at]).to.deep.equal([1, 1, '2026-11-22T02:00:00.250Z']);
    expect([second.seq, second.at]).to.deep.equal([2, '2026-11-22T02:00:00.500Z']);
    expect(bus.events.map((e) => e.seq)).to.deep.equal([1, 2]);
  });

  it('appends each event as one JSON line before emit returns', () => {
    const file = join(dir, 'run', 'events.jsonl');
    const bus = createBus({ file, now: clock() });
    bus.emit({ kind: 'suite.begin', suite: 'smoke', title: 'Smoke' });
    expect(readFileSync(file, 'utf8').split('\n')).to.have.length(2);
    const event = bus.emit({ kind: 'suite.end', suite: 'smoke', status: 'passed', ms: 5 });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).to.have.length(2);
    expect(JSON.parse(lines[1] ?? '')).to.deep.equal(event);
  });

  it('fans every event out to every sink in order', () => {
    const seen: string[] = [];
    const bus = createBus({ sinks: [(e) => seen.push(`a${e.seq}`), (e) => seen.push(`b${e.seq}`)] });
    bus.emit({ kind: 'log', level: 'info', message: 'x' });
    bus.emit({ kind: 'log', level: 'info', message: 'y' });
    expect(seen).to.deep.equal(['a1', 'b1', 'a2', 'b2']);
  });

  it('reports a throwing sink as a log event and keeps feeding the others', () => {
    const good: RunEvent[] = [];
    const bus = createBus({
      sinks: [
        () => {
          throw new Error('disk full');
        },
        (e) => good.push(e),
      ],
    });
    expect(() => bus.emit({ kind: 'log', level: 'info', message: 'x' })).not.to.throw();
    const notice = bus.events[1];
    expect(notice?.kind).to.equal('log');
    expect(notice?.kind === 'log' && notice.message).to.equal('Report sink #1 failed on event 1 (log): disk full');
    // The always-failing sink saw the notice too, but its second failure is not reported again.
    expect(bus.events).to.have.length(2);
    expect(good.map((e) => e.seq)).to.deep.equal([1, 2]);
  });

  it('reports a sink whose promise rejects once close() has waited for it', async () => {
    const rejecting = createBus({ sinks: [(): Promise<void> => Promise.reject(new Error('upload refused'))] });
    rejecting.emit({ kind: 'log', level: 'info', message: 'x' });
    await rejecting.close();
    expect(rejecting.events.map((e) => (e.kind === 'log' ? e.message : e.kind))).to.deep.equal([
      'x',
      'Report sink #1 failed on event 1 (log): upload refused',
    ]);
  });

  it('masks secrets in every string before storing, writing or fanning out', () => {
    const file = join(dir, 'events.jsonl');
    const sunk: RunEvent[] = [];
    const bus = createBus({ file, sinks: [(e) => sunk.push(e)], secrets: ['s3cr3t-pass', 'abc', 'tok3n'] });
    bus.emit({
      kind: 'run.begin',
      runId: 'r',
      tool: { name: 'mip-verify', version: '1' },
      config: { db: { password: 's3cr3t-pass', list: ['x-tok3n-y'] }, n: 3 },
    });
    bus.emit({
      kind: 'test.end',
      suite: 's',
      test: 't',
      status: 'failed',
      ms: 1,
      error: { name: 'Error', message: 'login with s3cr3t-pass failed for abc' },
    });
    const text = readFileSync(file, 'utf8');
    expect(text).not.to.include('s3cr3t-pass');
    expect(text).not.to.include('tok3n');
    const [begin, end] = bus.events;
    expect(begin?.kind === 'run.begin' && begin.config).to.deep.equal({ db: { password: '***', list: ['x-***-y'] }, n: 3 });
    // 'abc' is shorter than 4 characters: masking it would shred ordinary words.
    expect(end?.kind === 'test.end' && end.error?.message).to.equal('login with *** failed for abc');
    expect(sunk).to.deep.equal(bus.events);
  });

  it('masks the longer of two overlapping secrets whole', () => {
    const bus = createBus({ secrets: ['pass', 'password123'] });
    const event = bus.emit({ kind: 'log', level: 'info', message: 'password123 and pass' });
    expect(event.kind === 'log' && event.message).to.equal('*** and ***');
  });

  it('still records events emitted after close', async () => {
    const file = join(dir, 'events.jsonl');
    const bus = createBus({ file });
    await bus.close();
    bus.emit({ kind: 'run.end', status: 'interrupted', exitCode: 130 });
    expect(readFileSync(file, 'utf8')).to.include('"run.end"');
  });
});
