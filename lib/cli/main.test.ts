import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, HarnessError } from '../errors.ts';
import { settingsFromArgv } from './commands/options.ts';
import { runInProcess, spawnCli, type Outcome } from '../../fixtures/support/cli-runs.ts';
import { describeFailure } from './main.ts';

/** A scratch working directory with a home and a cache of its own, so nothing of the user's leaks in. */
async function scratchDir(): Promise<{ cwd: string; env: NodeJS.ProcessEnv }> {
  const cwd = await mkdtemp(join(tmpdir(), 'mv-cli-'));
  return { cwd, env: { PATH: process.env.PATH, HOME: cwd, MIP_VERIFY_CACHE: join(cwd, 'cache') } };
}

/** Exit 2, exactly one line on stderr, no stack, nothing created. */
function expectUsageError(outcome: Outcome, cwd: string, message: RegExp | string): void {
  const lines = outcome.stderr.trimEnd().split('\n');
  expect(outcome.code, outcome.stderr).to.equal(2);
  expect(lines, outcome.stderr).to.have.length(1);
  if (typeof message === 'string') expect(lines[0]).to.equal(message);
  else expect(lines[0]).to.match(message);
  expect(outcome.stderr).not.to.match(/^\s+at /m);
  expect(existsSync(join(cwd, 'reports')), 'reports/ created').to.equal(false);
  expect(existsSync(join(cwd, 'out')), 'report dir created').to.equal(false);
}

describe('cli (spawned: bin/mip-verify.js)', function () {
  this.timeout(60_000);
  let cwd: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => ({ cwd, env } = await scratchDir()));
  afterEach(async () => rm(cwd, { recursive: true, force: true }));

  it('--help prints the commands and exit codes and exits 0', async () => {
    const outcome = await spawnCli(['--help'], cwd, env);
    expect(outcome.code).to.equal(0);
    for (const word of [
      'run',
      'list',
      'doctor',
      'cluster <action>',
      'image <action>',
      'report <run-dir>',
      '--suite',
      '--allow-disruption',
      'Exit codes',
    ]) {
      expect(outcome.stdout).to.contain(word);
    }
  });

  it('list prints the six suites, one line each', async () => {
    const outcome = await spawnCli(['list'], cwd, env);
    expect(outcome.code).to.equal(0);
    const lines = outcome.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.split(' ')[0])).to.deep.equal(['smoke', 'sessions', 'scaling', 'chaos', 'cleanup', 'recovery']);
  });

  const cases: [string, string[], RegExp | string][] = [
    [
      'an unknown suite',
      ['--suite', 'nope'],
      "Unknown suite 'nope'. Valid suites: smoke, sessions, scaling, chaos, cleanup, recovery, all.",
    ],
    ['a negative trial count', ['--trials', '-3'], "Invalid value '-3' for --trials: use a whole number from 1 to 100."],
    ['a bad duration', ['--slo', '5x'], "Invalid value '5x' for --slo: use a duration such as 5m, 90s or 1m30s."],
    [
      'a kubeconfig that does not exist',
      ['--cluster', 'existing', '--kubeconfig', '/nonexistent/kubeconfig'],
      /^The kubeconfig '\/nonexistent\/kubeconfig' \(from --kubeconfig\) does not exist or is not readable/,
    ],
    [
      'an existing cluster without any kubeconfig',
      ['--cluster', 'existing', '--suite', 'smoke'],
      /^--cluster existing needs a kubeconfig: pass --kubeconfig PATH/,
    ],
    ['--keep with --keep-on-failure', ['--keep', '--keep-on-failure'], /^--keep and --keep-on-failure contradict each other/],
    [
      'a port out of range',
      ['--http-port', '70000'],
      "Invalid value '70000' for --http-port: use a port number from 1 to 65534 (HTTPS takes the next one).",
    ],
    ['an unknown flag', ['--frobnicate'], "Unknown argument: frobnicate. Run 'mip-verify --help' for usage."],
  ];
  for (const [what, args, message] of cases) {
    it(`refuses ${what} with one line and exit 2`, async () => {
      expectUsageError(await spawnCli([...args, '--report-dir', 'out'], cwd, env), cwd, message);
    });
  }

  it('refuses chaos on an existing cluster without --allow-disruption', async () => {
    await writeFile(join(cwd, 'kubeconfig'), 'apiVersion: v1\nkind: Config\n');
    const args = ['--cluster', 'existing', '--kubeconfig', 'kubeconfig', '--suite', 'chaos', '--report-dir', 'out'];
    expectUsageError(
      await spawnCli(args, cwd, env),
      cwd,
      /^The chaos suite kills pods and stops nodes, and this run did not create the cluster.*--allow-disruption/,
    );
  });

  it('names the file and line of an unparsable config file', async () => {
    await writeFile(join(cwd, 'mip.yaml'), 'suite: smoke\ntrials: [3\n');
    const outcome = await spawnCli(['--config', 'mip.yaml', '--report-dir', 'out'], cwd, env);
    expectUsageError(outcome, cwd, /^Cannot parse config file '.*mip\.yaml' at line 3: /);
  });

  it('names an unknown key of the default config file', async () => {
    await writeFile(join(cwd, 'mip-verify.config.json'), '{"suite": "smoke", "trails": 3}');
    expectUsageError(
      await spawnCli(['--report-dir', 'out'], cwd, env),
      cwd,
      /^Unknown key 'trails' in config file 'mip-verify.config.json'/,
    );
  });
});

describe('cli (in process: main)', function () {
  this.timeout(20_000);
  let cwd: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => ({ cwd, env } = await scratchDir()));
  afterEach(async () => rm(cwd, { recursive: true, force: true }));

  const cases: [string, string[], RegExp][] = [
    ['a fractional trial count', ['--trials', '2.5'], /^Invalid value '2.5' for --trials/],
    ['a trial count that is a word', ['--trials', 'abc'], /^Invalid value 'abc' for --trials/],
    ['--context on a kind cluster', ['--context', 'prod'], /^--context does not apply to a kind cluster/],
    ['an image override without =', ['--image', 'streamlit'], /^Invalid value 'streamlit' for --image: write name=ref/],
    ['a config file that does not exist', ['--config', 'nope.yaml'], /^Cannot read config file '.*nope\.yaml' \(ENOENT\)/],
    ['an unknown cluster action', ['cluster', 'explode'], /^Unknown cluster action 'explode': use up, down or status\.$/],
    ['a missing report folder argument', ['report'], /^Not enough non-option arguments.*Run 'mip-verify --help' for usage\.$/],
  ];
  for (const [what, args, message] of cases) {
    it(`refuses ${what}`, async () => {
      expectUsageError(await runInProcess(args, cwd, env), cwd, message);
    });
  }

  it('refuses the recovery suite on an existing cluster named by MIP_VERIFY_KUBECONFIG', async () => {
    await writeFile(join(cwd, 'kubeconfig'), 'apiVersion: v1\n');
    const outcome = await runInProcess(['--suite', 'recovery'], cwd, {
      ...env,
      MIP_VERIFY_CLUSTER: 'existing',
      MIP_VERIFY_KUBECONFIG: 'kubeconfig',
    });
    expectUsageError(outcome, cwd, /^The recovery suite kills pods/);
  });

  it('takes the last value of a single-valued flag given twice, and keeps lists whole', () => {
    expect(settingsFromArgv({ trials: ['1', '2'], image: ['a=b', 'c=d'], keep: undefined, $0: 'x', _: [] })).to.deep.equal({
      trials: '2',
      image: ['a=b', 'c=d'],
    });
  });
});

describe('cli/main describeFailure', () => {
  it('prints known errors as their message and hint, unknown ones with their stack', () => {
    expect(describeFailure(new ConfigError('Bad value.', 'Do this.'))).to.deep.equal({ text: 'Bad value. Do this.', exitCode: 2 });
    expect(describeFailure(new HarnessError('provision', 'kind create cluster failed'))).to.deep.equal({
      text: 'kind create cluster failed',
      exitCode: 3,
    });
    expect(describeFailure(new HarnessError('interrupted', 'Interrupted by Ctrl-C.')).exitCode).to.equal(130);
    expect(describeFailure(new HarnessError('tool', 'kind exited with code 1\n$ kind get clusters', 'Install kind.')).text).to.equal(
      'kind exited with code 1\n$ kind get clusters\nInstall kind.',
    );
    const unknown = describeFailure(new TypeError('x is undefined'));
    expect(unknown.exitCode).to.equal(3);
    expect(unknown.text).to.match(/^TypeError: x is undefined\n\s+at /);
  });
});
