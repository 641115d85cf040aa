import { expect } from 'chai';
import type { RunEvent } from '../report/events.ts';
import { delay } from '../wait.ts';
import { consoleSink } from './console.ts';

const base = { v: 1, seq: 0, at: '2026-12-06T00:00:00.000Z' } as const;
const event = (body: Record<string, unknown>): RunEvent => ({ ...base, ...body }) as unknown as RunEvent;

describe('run/console', () => {
  it('prints checks as they end, and a timestamped line on what a long check is doing', async () => {
    const lines: string[] = [];
    const sink = consoleSink(
      (line) => lines.push(line),
      (line) => lines.push(`ERR ${line}`),
      40,
    );
    sink(event({ kind: 'test.begin', suite: 'chaos', test: 'a worker pod killed' }));
    sink(event({ kind: 'step.begin', suite: 'chaos', test: 'a worker pod killed', id: 1, title: "job j leaves 'started'" }));
    sink(event({ kind: 'wait.attempt', what: 'job j to leave started', attempt: 3, observed: 'started', elapsedMs: 4000 }));
    await delay(120);
    sink(event({ kind: 'test.end', suite: 'chaos', test: 'a worker pod killed', status: 'passed', ms: 130 }));
    await delay(100);
    sink(event({ kind: 'run.end', status: 'passed', exitCode: 0 }));
    const beats = lines.filter((line) => line.includes('…'));
    expect(beats.length).to.be.greaterThan(0);
    expect(beats[0]).to.match(
      /^ {4}\d\d:\d\d:\d\d … job j leaves 'started' — waiting for job j to leave started \(last seen: started\) \(\d+ms so far\)$/,
    );
    expect(lines.at(-1)).to.equal('    ✔ a worker pod killed (130ms)');
    expect(lines.slice(lines.indexOf('    ✔ a worker pod killed (130ms)')).filter((line) => line.includes('…'))).to.deep.equal([]);
  });
});
