// The effective configuration as the run prints it at start: one line per setting, paths but never
// the contents of kubeconfigs or secrets.
import { formatDuration } from '../wait.ts';
import type { ClusterConfig, KeepPolicy, RunConfig } from './types.ts';

const KEEP_WORDS: Readonly<Record<KeepPolicy, string>> = {
  never: 'no (torn down at the end)',
  always: 'yes (--keep)',
  'on-failure': 'only after a failed run (--keep-on-failure)',
};

/** `[label, value]` pairs of the effective configuration, in a fixed order. */
export function describeConfig(config: RunConfig): [string, string][] {
  const images = Object.entries(config.images).map(([name, ref]) => `${name}=${ref}`);
  return [
    ['suites', config.suites.join(', ')],
    ['stack', describeStack(config)],
    ['images', images.length > 0 ? images.join(', ') : 'as the stack declares them'],
    ...describeCluster(config.cluster),
    ['report dir', config.reportDir],
    ['history', config.historyFile],
    ['trials', String(config.trials)],
    ['recovery SLO', `${formatDuration(config.sloMs)} (floor ${formatDuration(config.floorMs)})`],
    ['keep cluster', KEEP_WORDS[config.keep]],
    [
      'regressions',
      `slower than the trend by over ${config.regressionThresholdPct}%: ${config.failOnRegression ? 'fail the run (--fail-on-regression)' : 'flagged in the report'}`,
    ],
    ['disruption', config.allowDisruption ? 'allowed on any cluster (--allow-disruption)' : 'only on clusters this run creates'],
    ['fault target', config.target ?? 'the node running the stack workers'],
    [
      'timeouts',
      Object.entries(config.timeouts)
        .map(([kind, ms]) => `${kind} ${formatDuration(ms)}`)
        .join(', '),
    ],
    ['config file', config.configFile ?? 'none'],
  ];
}

function describeStack(config: RunConfig): string {
  if (config.stack !== 'mip') return `${config.stack} from ${config.stackSource ?? 'the reference stack'}`;
  const { exaflowChart, webChart, exaflowValues, webValues, data } = config.mip;
  const values = [...exaflowValues, ...webValues];
  return [
    `mip: Exaflow chart ${exaflowChart ?? '(reference)'}, web chart ${webChart ?? '(reference)'}`,
    values.length > 0 ? `values ${values.join(', ')}` : '',
    `data ${data ?? 'generated'}`,
  ]
    .filter(Boolean)
    .join('; ');
}

/** The configuration as aligned text lines. */
export function formatConfig(config: RunConfig): string[] {
  const rows = describeConfig(config);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
}

function describeCluster(cluster: ClusterConfig): [string, string][] {
  switch (cluster.provider) {
    case 'kind':
      return [
        ['cluster', `kind '${cluster.name}' (disposable), ${cluster.workers} worker node${cluster.workers === 1 ? '' : 's'}`],
        ['node image', cluster.nodeImage ?? 'the offline image from mip-verify image build'],
        ['ingress', `http://127.0.0.1:${cluster.httpPort}`],
        ['shared dir', cluster.sharedDir],
      ];
    case 'existing':
      return [
        ['cluster', `existing, context ${cluster.context ?? 'the current context'}`],
        ['kubeconfig', cluster.kubeconfig],
        ['ingress', cluster.ingressUrl ?? 'http://127.0.0.1:80'],
      ];
    case 'microk8s':
      return [
        ['cluster', `microk8s on ${cluster.hosts.length > 0 ? cluster.hosts.join(', ') : 'this machine'}`],
        ['kubeconfig', cluster.kubeconfig ?? 'read from microk8s'],
      ];
  }
}
