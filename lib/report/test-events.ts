// Builds small event streams for the report tests: stamps bodies the way the bus does, one second apart.
import type { RunEvent, RunEventBody } from './events.ts';

/** The bodies stamped with `v`, `seq` and `at` (one second apart from `start`). */
export function stamp(bodies: readonly RunEventBody[], start = '2026-11-22T02:00:00.000Z'): RunEvent[] {
  const t0 = Date.parse(start);
  return bodies.map((body, i) => ({ v: 1, seq: i + 1, at: new Date(t0 + i * 1000).toISOString(), ...body }));
}

/** run.begin with a fixed tool (and by default a fixed id). */
export function runBegin(config: Record<string, unknown> = {}, runId = '20261122-020000-abcd'): RunEventBody {
  return { kind: 'run.begin', runId, tool: { name: 'mip-verify', version: '9.9.9' }, config };
}

/** A suite with one check per entry: `[name, status, error message?]`. */
export function suite(name: string, checks: readonly (readonly [string, 'passed' | 'failed' | 'skipped', string?])[]): RunEventBody[] {
  const bodies: RunEventBody[] = [{ kind: 'suite.begin', suite: name, title: `Suite ${name}` }];
  for (const [test, status, message] of checks) {
    bodies.push({ kind: 'test.begin', suite: name, test });
    const error = message === undefined ? {} : { error: { name: 'AssertionError', message } };
    bodies.push({ kind: 'test.end', suite: name, test, status, ms: 1500, ...error });
  }
  const failed = checks.some(([, status]) => status === 'failed');
  bodies.push({ kind: 'suite.end', suite: name, status: failed ? 'failed' : 'passed', ms: 4000 });
  return bodies;
}

/** A recovery trial event body. */
export function trial(scenario: string, n: number, totalMs: number, sloMs = 300_000): RunEventBody {
  const at = '2026-11-22T02:10:00.000Z';
  const phases = [
    { phase: 'nodeNotReady', ms: Math.round(totalMs * 0.1), at },
    { phase: 'podsReady', ms: Math.round(totalMs * 0.9), at },
    { phase: 'serviceAnswering', ms: totalMs, at },
  ];
  return { kind: 'trial', scenario, target: 'node-a', trial: n, phases, totalMs, passed: totalMs <= sloMs, sloMs };
}

/** run.end. */
export function runEnd(status: 'passed' | 'failed' | 'interrupted' | 'error', exitCode: number): RunEventBody {
  return { kind: 'run.end', status, exitCode };
}
