// Every way a user can get the input wrong that we know of: each must end with exit 2 (or 3 for a missing
// tool), one line on stderr naming the bad value and where it came from, no stack trace, and nothing created
// (no report folder, no history line, no cluster: the kind provider is never reached).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../paths.ts';
import { runInProcess, spawnCli, type Outcome } from '../../fixtures/support/cli-runs.ts';

interface Case {
  /** What is wrong, as the test title says it. */
  what: string;
  /** Arguments after `mip-verify`. */
  args: string[];
  /** MIP_VERIFY_* variables. */
  env?: Record<string, string>;
  /** Files to create in the scratch directory first (relative path → content; a trailing / makes a folder). */
  files?: Record<string, string | Buffer>;
  /** What the one line must match. */
  says: RegExp;
  /** The exit code; 2 unless said. */
  code?: number;
  /** Run the real command line in a child process (the report command loads its modules on demand). */
  spawned?: boolean;
}

const KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'current-context: dev',
  'clusters:',
  '- name: c',
  '  cluster: {server: "https://127.0.0.1:1"}',
  'contexts:',
  '- name: dev',
  '  context: {cluster: c, user: u}',
  'users:',
  '- name: u',
  '  user: {token: kubeconfig-token-4242}',
  '',
].join('\n');
const existing = (kubeconfig: string): string[] => ['--cluster', 'existing', '--kubeconfig', kubeconfig, '--suite', 'smoke'];
const mip = (...args: string[]): string[] => ['--stack', 'mip', '--suite', 'smoke', ...args];
const CHART = { 'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', 'chart/templates/': '' };

const CASES: Case[] = [
  // Suites and stacks.
  { what: 'an unknown suite', args: ['--suite', 'nope'], says: /^Unknown suite 'nope'/ },
  { what: 'an empty suite list', args: ['--suite', ''], says: /suite/i },
  { what: 'an unknown suite among good ones', args: ['--suite', 'smoke,bogus'], says: /'bogus'/ },
  { what: 'an unknown stack', args: ['--stack', 'nginx'], says: /Unknown stack 'nginx'/ },
  { what: 'an unknown cluster provider', args: ['--cluster', 'minikube'], says: /'minikube'/ },
  { what: 'an unknown flag', args: ['--frobnicate'], says: /^Unknown argument: frobnicate/ },
  { what: 'an unknown command word', args: ['cluster', 'explode'], says: /^Unknown cluster action 'explode'/ },
  { what: 'report without a folder', args: ['report'], says: /^Not enough non-option arguments/ },
  {
    what: 'report of a folder without events',
    spawned: true,
    args: ['report', 'nowhere'],
    says: /events\.jsonl does not exist/,
    files: { 'nowhere/': '' },
  },
  {
    what: 'report of events that are not JSON',
    spawned: true,
    args: ['report', 'run'],
    says: /Line 1 of .*: it is not JSON/,
    files: { 'run/events.jsonl': 'hello\n' },
  },
  {
    what: 'report of events missing a field',
    spawned: true,
    args: ['report', 'run'],
    says: /field 'config' of its 'run.begin' event is missing/,
    files: { 'run/events.jsonl': '{"v":1,"seq":1,"at":"x","kind":"run.begin","runId":"r","tool":{"name":"m","version":"1"}}\n' },
  },
  {
    what: 'report of an empty events file',
    spawned: true,
    args: ['report', 'run'],
    says: /holds no run event/,
    files: { 'run/events.jsonl': '' },
  },
  // Numbers and durations: type, sign, bounds, and where they came from.
  {
    what: 'a negative trial count',
    args: ['--suite', 'recovery', '--trials', '-3'],
    says: /^Invalid value '-3' for --trials: use a whole number from 1 to 100/,
  },
  { what: 'a fractional trial count', args: ['--suite', 'recovery', '--trials', '2.5'], says: /'2.5' for --trials/ },
  { what: 'a trial count that is a word', args: ['--suite', 'recovery', '--trials', 'abc'], says: /'abc' for --trials/ },
  { what: 'zero trials', args: ['--suite', 'recovery', '--trials', '0'], says: /'0' for --trials/ },
  {
    what: 'a thousand trials',
    args: ['--suite', 'recovery', '--trials', '1000'],
    says: /'1000' for --trials: use a whole number from 1 to 100/,
  },
  {
    what: 'a trial count from the environment',
    args: ['--suite', 'recovery'],
    env: { MIP_VERIFY_TRIALS: 'many' },
    says: /'many' for MIP_VERIFY_TRIALS/,
  },
  { what: 'a bad SLO', args: ['--suite', 'recovery', '--slo', '5x'], says: /^Invalid value '5x' for --slo/ },
  { what: 'a negative SLO', args: ['--suite', 'recovery', '--slo', '-5m'], says: /^Invalid value '-5m' for --slo/ },
  { what: 'a zero SLO', args: ['--suite', 'recovery', '--slo', '0s'], says: /'0s' for --slo/ },
  { what: 'an SLO of two hours', args: ['--suite', 'recovery', '--slo', '2h'], says: /'2h' for --slo: use a duration of at most 1h/ },
  {
    what: 'an SLO from the environment',
    args: ['--suite', 'recovery'],
    env: { MIP_VERIFY_SLO: 'soon' },
    says: /'soon' for MIP_VERIFY_SLO/,
  },
  {
    what: 'a floor above the SLO',
    args: ['--suite', 'recovery', '--floor', '10m', '--slo', '5m'],
    says: /floor \(600s\) is above the SLO \(300s\)/,
  },
  { what: 'a floor that is a word', args: ['--suite', 'recovery', '--floor', 'later'], says: /'later' for --floor/ },
  { what: 'a port above 65535', args: ['--http-port', '70000'], says: /^Invalid value '70000' for --http-port/ },
  {
    what: 'port 65535, whose HTTPS port would be 65536',
    args: ['--http-port', '65535'],
    says: /'65535' for --http-port: use a port number from 1 to 65534 \(HTTPS takes the next one\)/,
  },
  { what: 'port 0', args: ['--http-port', '0'], says: /'0' for --http-port/ },
  { what: 'a port that is a word', args: ['--http-port', 'http'], says: /'http' for --http-port/ },
  { what: 'a port from the environment', args: [], env: { MIP_VERIFY_HTTP_PORT: '99999' }, says: /'99999' for MIP_VERIFY_HTTP_PORT/ },
  {
    what: 'a regression threshold that is a word',
    args: ['--regression-threshold', 'lots'],
    says: /^Invalid value 'lots' for --regression-threshold: use a percentage such as 25%/,
  },
  {
    what: 'a negative regression threshold',
    args: ['--regression-threshold', '-5%'],
    says: /^Invalid value '-5%' for --regression-threshold/,
  },
  {
    what: 'a zero regression threshold from the environment',
    args: [],
    env: { MIP_VERIFY_REGRESSION_THRESHOLD: '0' },
    says: /'0' for MIP_VERIFY_REGRESSION_THRESHOLD/,
  },
  // Flags a chosen suite never reads, and flags that contradict each other.
  {
    what: '--target with suites that never disrupt a node',
    args: ['--suite', 'smoke', '--target', 'worker'],
    says: /^--target is read only by the recovery suite/,
  },
  { what: '--trials without recovery', args: ['--suite', 'smoke', '--trials', '2'], says: /^--trials is read only by the recovery suite/ },
  { what: '--floor without recovery', args: ['--suite', 'sessions', '--floor', '1m'], says: /^--floor is read only by the recovery suite/ },
  {
    what: '--slo without chaos or recovery',
    args: ['--suite', 'smoke', '--slo', '5m'],
    says: /^--slo is read only by the recovery and chaos suites/,
  },
  {
    what: '--keep with --keep-on-failure',
    args: ['--keep', '--keep-on-failure'],
    says: /^--keep and --keep-on-failure contradict each other/,
  },
  { what: '--context on a kind cluster', args: ['--context', 'prod'], says: /^--context does not apply to a kind cluster/ },
  { what: 'an image override without =', args: ['--image', 'streamlit'], says: /^Invalid value 'streamlit' for --image: write name=ref/ },
  {
    what: '--stack-source for the mip stack',
    args: mip('--stack-source', '.'),
    says: /--stack-source names one source, but the mip stack has two charts/,
  },
  // Config files.
  {
    what: 'a config file that does not exist',
    args: ['--config', 'nope.yaml'],
    says: /^Cannot read config file '.*nope\.yaml' \(ENOENT\)/,
  },
  {
    what: 'a config file that is not YAML',
    args: ['--config', 'mip.yaml'],
    files: { 'mip.yaml': 'suite: smoke\ntrials: [3\n' },
    says: /^Cannot parse config file '.*mip\.yaml' at line 3/,
  },
  {
    what: 'an unknown key in the default config file',
    args: [],
    files: { 'mip-verify.config.json': '{"suite": "smoke", "trails": 3}' },
    says: /^Unknown key 'trails' in config file/,
  },
  {
    what: 'a bad value in the config file',
    args: ['--config', 'mip.yaml'],
    files: { 'mip.yaml': 'suite: recovery\ntrials: lots\n' },
    says: /'lots' for 'trials' in mip\.yaml/,
  },
  // Where the reports go.
  {
    what: 'a report folder under /proc',
    args: ['--report-dir', '/proc/x'],
    says: /^The report directory '\/proc\/x' \(from --report-dir\) is on the kernel's proc file system/,
  },
  {
    what: 'a report folder that is a file',
    args: ['--report-dir', 'taken'],
    files: { taken: 'x' },
    says: /report directory '.*taken' \(from --report-dir\) is not a directory/,
  },
  {
    what: 'a report folder below a file',
    args: ['--report-dir', 'taken/sub'],
    files: { taken: 'x' },
    says: /cannot be created: '.*taken' is not a directory/,
  },
  {
    what: 'a report folder path too long to hold a run',
    args: ['--report-dir', `${'d'.repeat(200)}/`.repeat(20)],
    says: /is too long for the files a run writes there/,
  },
  { what: 'a report folder name longer than 255 bytes', args: ['--report-dir', 'n'.repeat(300)], says: /has a name longer than 255 bytes/ },
  {
    what: 'a report folder from the environment under /sys',
    args: [],
    env: { MIP_VERIFY_REPORT_DIR: '/sys/reports' },
    says: /\(from MIP_VERIFY_REPORT_DIR\) is on the kernel's sysfs file system/,
  },
  {
    what: 'a history file that is a directory',
    args: ['--history', 'hist'],
    files: { 'hist/': '' },
    says: /^The history file '.*hist' \(from --history\) is not a file/,
  },
  {
    what: 'a history file under /proc',
    args: [],
    env: { MIP_VERIFY_HISTORY: '/proc/h.jsonl' },
    says: /^The folder of the history file '\/proc' \(from MIP_VERIFY_HISTORY\) is on the kernel's proc file system/,
  },
  // The stack source.
  {
    what: 'a stack source that does not exist',
    args: ['--stack-source', 'missing'],
    says: /stack source '.*missing' \(from --stack-source\) does not exist/,
  },
  {
    what: 'a stack source that is a file',
    args: ['--stack-source', 'stack.yaml'],
    files: { 'stack.yaml': 'kind: Pod\n' },
    says: /stack\.yaml/,
  },
  {
    what: 'a stack source without kustomization.yaml',
    args: ['--stack-source', 'stack'],
    files: { 'stack/deployment.yaml': 'kind: Deployment\n' },
    says: /kustomization/,
  },
  // The mip stack's charts, values and data.
  {
    what: 'an Exaflow chart path that does not exist',
    args: mip('--exaflow-chart', 'nochart'),
    says: /Exaflow chart directory '.*nochart' \(from --exaflow-chart\) does not exist/,
  },
  {
    what: 'an Exaflow chart without Chart.yaml',
    args: mip('--exaflow-chart', 'chart'),
    files: { 'chart/values.yaml': 'a: 1\n' },
    says: /Chart\.yaml/,
  },
  {
    what: 'a values file that does not exist',
    args: mip('--exaflow-values', 'none.yaml'),
    says: /values file '.*none\.yaml' \(from --exaflow-values\) does not exist/,
  },
  {
    what: 'a values file that is not YAML',
    args: mip('--exaflow-chart', 'chart', '--exaflow-values', 'v.yaml'),
    files: { ...CHART, 'v.yaml': 'a: [1\n' },
    says: /v\.yaml/,
  },
  {
    what: 'a values file that is a list, not a mapping',
    args: mip('--exaflow-chart', 'chart', '--exaflow-values', 'v.yaml'),
    files: { ...CHART, 'v.yaml': '- a\n- b\n' },
    says: /v\.yaml/,
  },
  {
    what: 'a data directory that does not exist',
    args: mip('--data', 'nodata'),
    says: /data directory '.*nodata' \(from --data\) does not exist/,
  },
  {
    what: 'a data directory without pathology folders',
    args: mip('--data', 'data'),
    files: { 'data/': '' },
    says: /data directory '.*data' holds no pathology folder/,
  },
  {
    what: 'a pathology folder without CDEsMetadata.json',
    args: mip('--data', 'data'),
    files: { 'data/dementia/a.csv': 'x\n1\n' },
    says: /pathology folder '.*dementia' has no CDEsMetadata\.json/,
  },
  {
    what: 'CDEsMetadata.json that is not JSON',
    args: mip('--data', 'data'),
    files: { 'data/dementia/CDEsMetadata.json': '{', 'data/dementia/a.csv': 'x\n1\n' },
    says: /CDEsMetadata\.json is not valid JSON/,
  },
  // The input is checked before the tools: with no kind, helm or kubectl on PATH, the input's mistake is named.
  // Spawned, so the child's PATH is the one given (in this process the tools would still be found).
  {
    what: 'a stack without kustomization.yaml, with no tool on PATH',
    spawned: true,
    args: ['--stack-source', 'stack'],
    env: { PATH: '/nonexistent' },
    files: { 'stack/a.yaml': 'kind: Pod\n' },
    says: /has no kustomization\.yaml/,
  },
  {
    what: 'a chart without Chart.yaml, with no tool on PATH',
    spawned: true,
    args: mip('--exaflow-chart', 'chart'),
    env: { PATH: '/nonexistent' },
    files: { 'chart/values.yaml': 'a: 1\n' },
    says: /has no Chart\.yaml/,
  },
  {
    what: 'data without CDEsMetadata.json, with no tool on PATH',
    spawned: true,
    args: mip('--data', 'data'),
    env: { PATH: '/nonexistent' },
    files: { 'data/tbi/a.csv': 'x\n' },
    says: /has no CDEsMetadata\.json/,
  },
  {
    what: 'a good stack with no tool on PATH (a missing tool: exit 3)',
    spawned: true,
    args: ['--suite', 'smoke'],
    env: { PATH: '/nonexistent' },
    says: /^kubectl was not found on PATH\. Run `npx mip-verify image build`/,
    code: 3,
  },
  // Existing clusters: the kubeconfig and its context.
  {
    what: 'an existing cluster without a kubeconfig',
    args: ['--cluster', 'existing', '--suite', 'smoke'],
    says: /^--cluster existing needs a kubeconfig/,
  },
  {
    what: 'a kubeconfig that does not exist',
    args: existing('/nonexistent/kubeconfig'),
    says: /kubeconfig '\/nonexistent\/kubeconfig' \(from --kubeconfig\) does not exist/,
  },
  { what: 'an empty kubeconfig', args: existing('kc'), files: { kc: '' }, says: /^kubeconfig '.*kc' is empty\. Pass --kubeconfig/ },
  {
    what: 'a kubeconfig that is a directory',
    args: existing('kc'),
    files: { 'kc/': '' },
    says: /kubeconfig '.*kc' is a directory, not a file/,
  },
  {
    what: 'a binary kubeconfig',
    args: existing('kc'),
    files: { kc: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff]) },
    says: /kubeconfig '.*kc' is not a text file/,
  },
  {
    what: 'a kubeconfig that is not YAML',
    args: existing('kc'),
    files: { kc: 'users:\n  - token: hunter2-secret\n  bad: [\n' },
    says: /kubeconfig '.*kc' is not valid YAML \(line \d+, column \d+\)/,
  },
  { what: 'a kubeconfig that is a list', args: existing('kc'), files: { kc: '- a\n- b\n' }, says: /kubeconfig '.*kc' is not a kubeconfig/ },
  {
    what: 'a kubeconfig without clusters, contexts or users',
    args: existing('kc'),
    files: { kc: 'apiVersion: v1\nkind: Config\n' },
    says: /has no clusters, contexts or users/,
  },
  {
    what: 'a kubeconfig whose cluster has no server',
    args: existing('kc'),
    files: { kc: KUBECONFIG.replace('{server: "https://127.0.0.1:1"}', '{}') },
    says: /is not a valid kubeconfig \(clusters\[0\]\.cluster\.server is missing\)/,
  },
  {
    what: 'an unknown context (the configuration printed first, its URL credentials masked)',
    args: [...existing('kc'), '--context', 'prod', '--ingress-url', 'http://admin:hunter2-secret@127.0.0.1:1'],
    files: { kc: KUBECONFIG },
    says: /^context 'prod' is not in kubeconfig '.*kc' \(available: dev\)/,
  },
  {
    what: 'a kubeconfig without a current context',
    args: existing('kc'),
    files: { kc: KUBECONFIG.replace('current-context: dev\n', '') },
    says: /has no current context \(available: dev\)/,
  },
  {
    what: 'chaos on an existing cluster without --allow-disruption',
    args: ['--cluster', 'existing', '--kubeconfig', 'kc', '--suite', 'chaos'],
    files: { kc: KUBECONFIG },
    says: /^The chaos suite kills pods/,
  },
  {
    what: 'recovery on an existing cluster named by the environment',
    args: ['--suite', 'recovery'],
    env: { MIP_VERIFY_CLUSTER: 'existing', MIP_VERIFY_KUBECONFIG: 'kc' },
    files: { kc: KUBECONFIG },
    says: /^The recovery suite kills pods/,
  },
  {
    what: 'an ingress URL that is not a URL',
    args: [...existing('kc'), '--ingress-url', 'not a url'],
    files: { kc: KUBECONFIG },
    says: /'not a url' for --ingress-url/,
  },
  { what: 'a kind cluster name with capitals', args: ['--name', 'Bad_Name', '--suite', 'smoke'], says: /Bad_Name/ },
];

/** A scratch working directory with a home and a cache of its own, so nothing of the user's leaks in. */
async function scratch(files: Record<string, string | Buffer>): Promise<string> {
  const cwd = await mkdtemp(join(tmpdir(), 'mv-bad-'));
  for (const [path, content] of Object.entries(files)) {
    if (path.endsWith('/')) {
      await mkdir(join(cwd, path), { recursive: true });
    } else {
      await mkdir(join(cwd, path, '..'), { recursive: true });
      await writeFile(join(cwd, path), content);
    }
  }
  return cwd;
}

describe('bad input: one sentence naming the value, exit 2, nothing created', function () {
  this.timeout(90_000);
  it(`covers at least 60 distinct mistakes (${CASES.length})`, () => {
    expect(CASES.length).to.be.at.least(60);
    expect(new Set(CASES.map((c) => c.what)).size).to.equal(CASES.length);
  });

  it('refuses a stack source whose name is not UTF-8, saying so rather than "missing"', async () => {
    const cwd = await scratch({});
    try {
      mkdirSync(Buffer.concat([Buffer.from(`${cwd}/stack-`), Buffer.from([0xff])]));
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: cwd, MIP_VERIFY_CACHE: join(cwd, 'cache') };
      // Node cannot put a byte that is not UTF-8 into an argument; the shell can.
      const script = `exec "$0" "$1" --stack-source "$(printf 'stack-\\377')"`;
      const outcome = await new Promise<Outcome>((resolve) => {
        const child = spawn('/bin/sh', ['-c', script, process.execPath, join(projectRoot, 'bin', 'mip-verify.js')], { cwd, env });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code: code ?? -1, stdout: '', stderr }));
      });
      expect(outcome.code).to.equal(2);
      expect(outcome.stderr.trimEnd().split('\n')).to.have.length(1);
      expect(outcome.stderr).to.match(/is not valid UTF-8, so it cannot be opened by that name/);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  for (const c of CASES) {
    it(`refuses ${c.what}`, async () => {
      const cwd = await scratch(c.files ?? {});
      const before = readdirSync(cwd).sort();
      try {
        const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: cwd, MIP_VERIFY_CACHE: join(cwd, 'cache'), ...c.env };
        const outcome = await (c.spawned ? spawnCli : runInProcess)(c.args, cwd, env);
        const lines = outcome.stderr.trimEnd().split('\n');
        expect(outcome.code, outcome.stderr).to.equal(c.code ?? 2);
        expect(lines, outcome.stderr).to.have.length(1);
        expect(lines[0]).to.match(c.says);
        if (process.env.PRINT_REFUSALS) console.log(`${c.what} → ${outcome.code}: ${lines[0] ?? ''}`);
        expect(outcome.stderr).to.not.match(/^\s+at /m);
        // A kubeconfig's values are never quoted back.
        expect(outcome.stdout + outcome.stderr)
          .to.not.include('hunter2-secret')
          .and.not.include('kubeconfig-token-4242');
        expect(readdirSync(cwd).sort(), 'files created in the working directory').to.deep.equal(before);
        expect(existsSync(join(cwd, 'reports')), 'reports/ created').to.equal(false);
      } finally {
        await rm(cwd, { recursive: true, force: true });
      }
    });
  }
});
