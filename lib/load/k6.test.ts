import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolError, type ToolOptions, type ToolResult } from '../exec.ts';
import { k6Args, runK6, THRESHOLDS_CROSSED_EXIT, WORKFLOW_SCRIPT } from './k6.ts';
import { parseK6Summary } from './k6-summary.ts';

// The shape k6 v1 writes with --summary-export (trimmed).
const EXPORT = {
  root_group: { name: '', checks: { 'workflow ended': { name: 'workflow ended', passes: 8, fails: 1 } } },
  metrics: {
    iterations: { count: 9, rate: 0.1 },
    http_reqs: { count: 60, rate: 0.6 },
    http_req_failed: { passes: 0, fails: 60, value: 0, thresholds: { 'rate==0': false } },
    http_req_duration: { avg: 700, min: 300, med: 650, max: 4000, 'p(90)': 1500, 'p(95)': 2100 },
    'http_req_duration{name:submit}': {
      avg: 2500,
      min: 2000,
      med: 2400,
      max: 4000,
      'p(90)': 3800,
      'p(95)': 3900,
      thresholds: { 'p(95)<120000': false },
    },
    checks: { passes: 26, fails: 1, value: 0.96, thresholds: { 'rate==1': true } },
  },
};

describe('parseK6Summary', () => {
  it('reads iterations, requests, trends (sub-metrics included), checks and crossed thresholds', () => {
    const summary = parseK6Summary(JSON.stringify(EXPORT));
    expect(summary.iterations).to.equal(9);
    expect(summary.httpRequests).to.equal(60);
    expect(summary.httpFailedRate).to.equal(0);
    expect(summary.trends.http_req_duration).to.deep.equal({ avg: 700, med: 650, p95: 2100, max: 4000 });
    expect(summary.trends['http_req_duration{name:submit}']?.p95).to.equal(3900);
    expect(summary.trends).to.not.have.property('checks');
    expect(summary.checks).to.deep.equal([{ name: 'workflow ended', passes: 8, fails: 1 }]);
    expect(summary.thresholds.filter((t) => t.crossed)).to.deep.equal([{ metric: 'checks', expression: 'rate==1', crossed: true }]);
    expect(summary.thresholds).to.have.length(3);
  });

  it('reads checks written as an array (older k6)', () => {
    const summary = parseK6Summary(JSON.stringify({ root_group: { checks: [{ name: 'ok', passes: 1, fails: 0 }] }, metrics: {} }));
    expect(summary.checks).to.deep.equal([{ name: 'ok', passes: 1, fails: 0 }]);
    expect(summary.iterations).to.equal(0);
  });

  it('rejects a file without metrics', () => {
    expect(() => parseK6Summary('{"state":{}}')).to.throw(/no "metrics"/);
  });
});

describe('k6Args', () => {
  it('runs offline and quiet, exports the summary, and passes the variables', () => {
    const args = k6Args({ script: 's.mjs', summaryPath: 'out.json', vars: { GATEWAY: 'http://127.0.0.1:1', VUS: '3' } });
    expect(args).to.deep.equal([
      'run',
      '--no-usage-report',
      '--address',
      '',
      '--quiet',
      '--no-color',
      '--summary-export',
      'out.json',
      '-e',
      'GATEWAY=http://127.0.0.1:1',
      '-e',
      'VUS=3',
      's.mjs',
    ]);
  });

  it('points at the shipped workflow script', () => {
    expect(WORKFLOW_SCRIPT).to.match(/lib[\\/]load[\\/]k6-script\.mjs$/);
  });
});

describe('runK6', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'k6-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const fake = (behave: (summaryPath: string) => ToolResult) => {
    const calls: { command: string; args: readonly string[]; options?: ToolOptions }[] = [];
    const runTool = (command: string, args: readonly string[], options?: ToolOptions): Promise<ToolResult> => {
      calls.push({ command, args, options });
      const summaryPath = args[args.indexOf('--summary-export') + 1] ?? '';
      try {
        return Promise.resolve(behave(summaryPath));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    return { calls, runTool };
  };

  it('runs k6 with the built tools first on PATH and reads the summary', async () => {
    const { calls, runTool } = fake((path) => {
      writeFileSync(path, JSON.stringify(EXPORT));
      return { stdout: '', stderr: 'line one\n\nline two\n', exitCode: 0 };
    });
    const summaryPath = join(dir, 'summary.json');
    const result = await runK6({ script: 's.mjs', summaryPath, vars: {}, env: { MIP_VERIFY_CACHE: '/cache', PATH: '/usr/bin' }, runTool });
    expect(calls[0]?.command).to.equal('k6');
    expect(calls[0]?.options?.env).to.deep.equal({ PATH: ['/cache/bin', '/usr/bin'].join(':') });
    expect(result.exitCode).to.equal(0);
    expect(result.summary.iterations).to.equal(9);
    expect(result.logTail).to.deep.equal(['line one', 'line two']);
  });

  it('treats crossed thresholds (exit 99) as a result', async () => {
    const { runTool } = fake((path) => {
      writeFileSync(path, JSON.stringify(EXPORT));
      throw new ToolError('k6 exited with code 99', {
        command: 'k6 run',
        exitCode: THRESHOLDS_CROSSED_EXIT,
        timedOut: false,
        canceled: false,
        stdout: '',
        stderr: "thresholds on metrics 'checks' have been crossed",
      });
    });
    const result = await runK6({ script: 's.mjs', summaryPath: join(dir, 's.json'), vars: {}, runTool });
    expect(result.exitCode).to.equal(99);
    expect(result.logTail).to.deep.equal(["thresholds on metrics 'checks' have been crossed"]);
  });

  it('throws on any other failure, and when no summary was written', async () => {
    const failed = fake(() => {
      throw new ToolError('k6 was not found on PATH', {
        command: 'k6 run',
        exitCode: 127,
        timedOut: false,
        canceled: false,
        stdout: '',
        stderr: '',
      });
    });
    const error = await runK6({ script: 's.mjs', summaryPath: join(dir, 's.json'), vars: {}, runTool: failed.runTool }).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ToolError);
    const silent = fake(() => ({ stdout: '', stderr: '', exitCode: 0 }));
    const missing = await runK6({ script: 's.mjs', summaryPath: join(dir, 'none.json'), vars: {}, runTool: silent.runTool }).catch(
      (e: unknown) => e,
    );
    expect(String(missing)).to.match(/wrote no summary/);
  });
});
