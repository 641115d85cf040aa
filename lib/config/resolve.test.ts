import { expect } from 'chai';
import { ConfigError } from '../errors.ts';
import type { ConfigFile } from './file.ts';
import { resolveConfig, type ResolveContext } from './resolve.ts';
import type { RawSettings } from './settings.ts';

const cwd = '/home/op/project';
const readablePaths = new Set(['/home/op/kubeconfig', '/etc/kube/ci.yaml', '/home/op/project/conf/kube.yaml', '/home/op/.kube/config']);
const context: ResolveContext = { cwd, readable: (path) => readablePaths.has(path) };
const baseEnv = { MIP_VERIFY_CACHE: '/var/cache/mv', HOME: '/nohome' };

function file(values: RawSettings, timeouts: Record<string, unknown> = {}): ConfigFile {
  return { path: '/home/op/project/conf/mip-verify.config.yaml', values, timeouts };
}

function resolveWith(flags: RawSettings, env: NodeJS.ProcessEnv = {}, configFile?: ConfigFile, extra: Partial<ResolveContext> = {}) {
  return resolveConfig(flags, { ...baseEnv, ...env }, configFile, { ...context, ...extra });
}

describe('config/resolve', () => {
  it('fills every setting from the defaults table', () => {
    const config = resolveWith({});
    expect(config.suites).to.deep.equal(['smoke', 'sessions', 'scaling', 'chaos', 'cleanup', 'recovery']);
    expect(config.stack).to.equal('openms');
    expect(config.cluster).to.deep.equal({
      provider: 'kind',
      name: 'mip-verify',
      nodeImage: undefined,
      httpPort: 18080,
      sharedDir: '/var/cache/mv/shared/mip-verify',
      workers: 2,
    });
    expect(config.reportDir).to.equal('/home/op/project/reports');
    expect([config.trials, config.sloMs, config.floorMs, config.keep]).to.deep.equal([3, 300_000, 60_000, 'never']);
    expect(config.timeouts).to.deep.equal({
      provision: 600_000,
      deploy: 300_000,
      ready: 300_000,
      workflow: 300_000,
      chaos: 600_000,
      load: 300_000,
      cleanup: 120_000,
    });
    expect(config.allowDisruption).to.equal(false);
    expect(config.configFile).to.equal(undefined);
  });

  it('takes trials from the flag, then MIP_VERIFY_TRIALS, then the file, then the default', () => {
    const env = { MIP_VERIFY_TRIALS: '5' };
    const cfg = file({ trials: 7 });
    expect(resolveWith({ trials: '9' }, env, cfg).trials).to.equal(9);
    expect(resolveWith({}, env, cfg).trials).to.equal(5);
    expect(resolveWith({}, {}, cfg).trials).to.equal(7);
    expect(resolveWith({}, {}, file({})).trials).to.equal(3);
  });

  it('puts the history next to the reports unless --history or MIP_VERIFY_HISTORY names a file', () => {
    expect(resolveWith({ reportDir: 'out' }, {}).historyFile).to.equal('/home/op/project/out/history.jsonl');
    expect(resolveWith({ history: 'cache/h.jsonl' }, {}).historyFile).to.equal('/home/op/project/cache/h.jsonl');
    expect(resolveWith({}, { MIP_VERIFY_HISTORY: '/srv/ci/h.jsonl' }).historyFile).to.equal('/srv/ci/h.jsonl');
  });

  it('applies the same precedence to suites, report dir and SLO', () => {
    const env = { MIP_VERIFY_SUITE: 'chaos', MIP_VERIFY_REPORT_DIR: '/srv/env-reports', MIP_VERIFY_SLO: '2m' };
    const cfg = file({ suite: ['cleanup', 'smoke'], reportDir: 'out', slo: '3m' });
    const fromFlags = resolveWith({ suite: 'smoke,chaos', reportDir: 'flag-reports', slo: '90s' }, env, cfg);
    expect([fromFlags.suites, fromFlags.reportDir, fromFlags.sloMs]).to.deep.equal([
      ['smoke', 'chaos'],
      '/home/op/project/flag-reports',
      90_000,
    ]);
    const fromEnv = resolveWith({}, env, cfg);
    expect([fromEnv.suites, fromEnv.reportDir, fromEnv.sloMs]).to.deep.equal([['chaos'], '/srv/env-reports', 120_000]);
    const fromFile = resolveWith({}, {}, cfg);
    // paths in the file are relative to the file, not to the working directory
    expect([fromFile.suites, fromFile.reportDir, fromFile.sloMs]).to.deep.equal([
      ['smoke', 'cleanup'],
      '/home/op/project/conf/out',
      180_000,
    ]);
  });

  it('does not let an unset flag clobber the file', () => {
    const config = resolveWith({ trials: undefined, keep: undefined }, {}, file({ trials: 4, keepOnFailure: true, stack: 'mip' }));
    expect([config.trials, config.keep, config.stack]).to.deep.equal([4, 'on-failure', 'mip']);
    expect(config.configFile).to.equal('/home/op/project/conf/mip-verify.config.yaml');
  });

  it('treats --keep and --keep-on-failure as one setting', () => {
    expect(resolveWith({ keep: true }, {}, file({ keepOnFailure: true })).keep).to.equal('always');
    expect(resolveWith({}, { MIP_VERIFY_KEEP_ON_FAILURE: 'true' }).keep).to.equal('on-failure');
    expect(() => resolveWith({ keep: true, keepOnFailure: true }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.matches(/^--keep and --keep-on-failure contradict each other/);
  });

  it('merges file timeouts over the defaults and checks them', () => {
    const config = resolveWith({}, {}, file({}, { ready: '3m', workflow: '12m' }));
    expect(config.timeouts.ready).to.equal(180_000);
    expect(config.timeouts.workflow).to.equal(720_000);
    expect(config.timeouts.deploy).to.equal(300_000);
    expect(() => resolveWith({}, {}, file({}, { ready: 'soon' }))).to.throw(ConfigError, /'timeouts.ready' in mip-verify.config.yaml/);
  });

  it('builds an existing-cluster config from --kubeconfig, else MIP_VERIFY_KUBECONFIG, KUBECONFIG or ~/.kube/config', () => {
    const flags = { cluster: 'existing', suite: 'smoke', context: 'aks' };
    expect(resolveWith({ ...flags, kubeconfig: '/home/op/kubeconfig' }).cluster).to.deep.equal({
      provider: 'existing',
      kubeconfig: '/home/op/kubeconfig',
      context: 'aks',
      ingressUrl: undefined,
    });
    expect(resolveWith(flags, { MIP_VERIFY_KUBECONFIG: '/etc/kube/ci.yaml' }).cluster).to.include({ kubeconfig: '/etc/kube/ci.yaml' });
    expect(resolveWith(flags, {}, file({ kubeconfig: 'kube.yaml' })).cluster).to.include({ kubeconfig: '/home/op/project/conf/kube.yaml' });
    expect(resolveWith(flags, { KUBECONFIG: '/etc/kube/ci.yaml:/other' }).cluster).to.include({ kubeconfig: '/etc/kube/ci.yaml' });
    expect(resolveWith(flags, { HOME: '/home/op' }).cluster).to.include({ kubeconfig: '/home/op/.kube/config' });
    expect(() => resolveWith(flags)).to.throw(ConfigError, /--cluster existing needs a kubeconfig/);
    expect(() => resolveWith({ ...flags, kubeconfig: '/nonexistent/kubeconfig' })).to.throw(
      ConfigError,
      /'\/nonexistent\/kubeconfig' \(from --kubeconfig\) does not exist/,
    );
  });

  it('refuses chaos and recovery on an existing cluster unless disruption is allowed', () => {
    const flags = { cluster: 'existing', kubeconfig: '/home/op/kubeconfig' };
    expect(() => resolveWith({ ...flags, suite: 'recovery' })).to.throw(
      ConfigError,
      /^The recovery suite kills pods and stops nodes.*refuses to run it: pass --allow-disruption/,
    );
    expect(() => resolveWith(flags)).to.throw(ConfigError, /The chaos and recovery suites kill pods and stop nodes/);
    expect(resolveWith({ ...flags, suite: 'all', allowDisruption: true }).suites).to.have.length(6);
    expect(resolveWith(flags, {}, undefined, { checkSuites: false }).cluster.provider).to.equal('existing');
    expect(resolveWith({ suite: 'chaos' }).cluster.provider).to.equal('kind');
  });

  it('refuses flags of another cluster provider, but not file settings for it', () => {
    expect(() => resolveWith({ context: 'x' })).to.throw(ConfigError, /--context does not apply to a kind cluster/);
    expect(() => resolveWith({ cluster: 'existing', kubeconfig: '/home/op/kubeconfig', suite: 'smoke', name: 'x' })).to.throw(
      ConfigError,
      /--name does not apply to an existing cluster/,
    );
    expect(resolveWith({ cluster: 'kind' }, {}, file({ context: 'aks' })).cluster.provider).to.equal('kind');
  });

  it('names the source of a bad value', () => {
    expect(() => resolveWith({}, { MIP_VERIFY_TRIALS: 'abc' })).to.throw(ConfigError, /'abc' for MIP_VERIFY_TRIALS/);
    expect(() => resolveWith({}, {}, file({ stack: 'nope' }))).to.throw(
      ConfigError,
      /Unknown stack 'nope' \('stack' in mip-verify.config.yaml\)/,
    );
    expect(() => resolveWith({ name: 'Bad_Name' })).to.throw(ConfigError, /'Bad_Name' for --name/);
    expect(() => resolveWith({ floor: '6m' })).to.throw(ConfigError, /floor .* above the SLO/);
    expect(() => resolveWith({ stackSource: 'missing-dir' })).to.throw(ConfigError, /stack source '\/home\/op\/project\/missing-dir'/);
  });

  describe("the mip stack's charts, values files and data", () => {
    const mipPaths = new Set([
      '/home/op/project/charts/exaflow',
      '/opt/mip-deployment/kubernetes',
      '/home/op/project/values/exaflow-kind.yaml',
      '/etc/mip/exaflow-extra.yaml',
      '/home/op/project/conf/web-values.yaml',
      '/srv/mip-data',
    ]);
    const mip: Partial<ResolveContext> = { readable: (path) => mipPaths.has(path) || readablePaths.has(path) };
    const all = {
      exaflowChart: 'charts/exaflow',
      webChart: '/opt/mip-deployment/kubernetes',
      exaflowValues: ['values/exaflow-kind.yaml', '/etc/mip/exaflow-extra.yaml'],
      data: '/srv/mip-data',
    };

    it('takes --exaflow-chart, --web-chart, the values files in order and --data for --stack mip, relative paths resolved', () => {
      const config = resolveWith({ stack: 'mip', ...all }, {}, undefined, mip);
      expect(config.mip).to.deep.equal({
        exaflowChart: '/home/op/project/charts/exaflow',
        webChart: '/opt/mip-deployment/kubernetes',
        exaflowValues: ['/home/op/project/values/exaflow-kind.yaml', '/etc/mip/exaflow-extra.yaml'],
        webValues: [],
        data: '/srv/mip-data',
      });
      expect(config.stackSource).to.equal(undefined);
    });

    it('resolves values files of the config file against its folder, and leaves unset members out', () => {
      const config = resolveWith({}, {}, file({ stack: 'mip', webValues: ['web-values.yaml'] }), mip);
      expect(config.mip).to.deep.equal({ exaflowValues: [], webValues: ['/home/op/project/conf/web-values.yaml'] });
      expect(resolveWith({ stack: 'mip' }).mip).to.deep.equal({ exaflowValues: [], webValues: [] });
    });

    it('refuses each of them with --stack openms, saying it applies to the mip stack only', () => {
      const cases: [RawSettings, string][] = [
        [{ exaflowChart: all.exaflowChart }, '--exaflow-chart'],
        [{ webChart: all.webChart }, '--web-chart'],
        [{ exaflowValues: all.exaflowValues }, '--exaflow-values'],
        [{ data: all.data }, '--data'],
      ];
      for (const [flags, flag] of cases) {
        expect(() => resolveWith({ stack: 'openms', ...flags }, {}, undefined, mip), flag).to.throw(
          ConfigError,
          `${flag} applies to the mip stack only, and this run deploys openms: add --stack mip or drop it.`,
        );
      }
      expect(() => resolveWith({}, { MIP_VERIFY_DATA: '/srv/mip-data' }, undefined, mip)).to.throw(
        ConfigError,
        /^MIP_VERIFY_DATA applies to the mip stack only/,
      );
    });

    it('refuses --stack-source with --stack mip, naming --exaflow-chart and --web-chart', () => {
      const run = () => resolveWith({ stack: 'mip', stackSource: '/opt/mip-deployment/kubernetes' }, {}, undefined, mip);
      expect(run).to.throw(
        ConfigError,
        /^--stack-source names one source, but the mip stack has two charts: pass --exaflow-chart and --web-chart/,
      );
    });

    it('names a chart, values file or data directory that does not exist, and where it came from', () => {
      expect(() => resolveWith({ stack: 'mip', exaflowChart: 'nope' }, {}, undefined, mip)).to.throw(
        ConfigError,
        "The Exaflow chart directory '/home/op/project/nope' (from --exaflow-chart) does not exist or is not readable",
      );
      expect(() => resolveWith({ stack: 'mip', webChart: '/opt/none' }, {}, undefined, mip)).to.throw(
        ConfigError,
        "The MIP web chart directory '/opt/none' (from --web-chart)",
      );
      expect(() =>
        resolveWith({ stack: 'mip', exaflowValues: ['values/exaflow-kind.yaml', 'values/missing.yaml'] }, {}, undefined, mip),
      ).to.throw(ConfigError, "The values file '/home/op/project/values/missing.yaml' (from --exaflow-values)");
      expect(() => resolveWith({ stack: 'mip' }, {}, file({ data: 'data' }), mip)).to.throw(
        ConfigError,
        "The data directory '/home/op/project/conf/data' (from 'data' in mip-verify.config.yaml)",
      );
    });
  });

  it('returns a deeply frozen configuration', () => {
    const config = resolveWith({ image: ['a=b'] });
    expect(Object.isFrozen(config)).to.equal(true);
    expect(Object.isFrozen(config.cluster)).to.equal(true);
    expect(Object.isFrozen(config.images)).to.equal(true);
    expect(Object.isFrozen(config.suites)).to.equal(true);
    expect(Object.isFrozen(config.timeouts)).to.equal(true);
  });
});
