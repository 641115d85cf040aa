// Flags, MIP_VERIFY_* variables, the config file and the defaults, merged field by field into one
// deeply frozen RunConfig (flag > env > file > default), and checked before anything is touched.
import { basename, join, resolve, resolve as resolvePath } from 'node:path';
import { ConfigError } from '../errors.ts';
import { DEFAULTS } from './defaults.ts';
import type { ConfigFile } from './file.ts';
import { asBoolean, asChoice, asCount, asDuration, asImages, asPercent, asString, asStringList } from './parse.ts';
import { checkHistoryFile, checkReportDir } from './report-dir.ts';
import { resolveCluster } from './resolve-cluster.ts';
import { flagName, type RawSettings, type SettingKey } from './settings.ts';
import { asPath, buildSources, isReadable, mustExist, takeFirst, type Readable, type Reader, type Source } from './sources.ts';
import { disruptiveSuites, parseSuites } from './suites.ts';
import { STACK_NAMES, type KeepPolicy, type MipSources, type RunConfig, type Timeouts } from './types.ts';

/** What resolving may look at besides the three sources. */
export interface ResolveContext {
  /** Directory relative paths from flags and variables are taken from; default `process.cwd()`. */
  readonly cwd?: string;
  /** Whether to make the checks only a run needs: suites against the cluster, the report directory (off for `cluster up|down|status`). */
  readonly checkSuites?: boolean;
  /** Whether a path exists and can be read; default asks the file system. */
  readonly readable?: (path: string) => boolean;
}

/** The one configuration of a run; throws a ConfigError naming the first bad value. */
export function resolveConfig(
  flags: RawSettings,
  env: NodeJS.ProcessEnv,
  file: ConfigFile | undefined,
  context: ResolveContext = {},
): RunConfig {
  const cwd = context.cwd ?? process.cwd();
  const readable = context.readable ?? isReadable;
  const sources = buildSources(flags, env, file, cwd);
  const take = <T>(key: SettingKey, read: Reader<T>): T | undefined => takeFirst(sources, key, read);
  const config: RunConfig = {
    ...resolveStack(sources, readable),
    cluster: resolveCluster(sources, env, readable),
    ...resolveReports(sources, cwd),
    ...resolveRecovery(sources),
    keep: takeKeep(sources) ?? DEFAULTS.keep,
    allowDisruption: take('allowDisruption', asBoolean) ?? false,
    regressionThresholdPct: take('regressionThreshold', asPercent) ?? 25,
    failOnRegression: take('failOnRegression', asBoolean) ?? false,
    timeouts: resolveTimeouts(file),
    configFile: file?.path,
  };
  if (context.checkSuites !== false) {
    checkDisruption(config);
    checkSuiteFlags(flags, config.suites);
    checkReportDir(config.reportDir, originOf(sources, 'reportDir') ?? 'the default ./reports');
    checkHistoryFile(config.historyFile, originOf(sources, 'history') ?? 'the default <report dir>/history.jsonl');
  }
  return deepFreeze(config);
}

/** What is run and deployed: suites, stack, its source and image overrides. */
function resolveStack(
  sources: readonly Source[],
  readable: Readable,
): Pick<RunConfig, 'suites' | 'stack' | 'stackSource' | 'images' | 'mip'> {
  const take = <T>(key: SettingKey, read: Reader<T>): T | undefined => takeFirst(sources, key, read);
  const suites = take('suite', (raw, origin) => parseSuites(typeof raw === 'string' ? raw : asStringList(raw, origin), origin));
  const stack = take('stack', (raw, origin) => asChoice(raw, origin, STACK_NAMES, 'stack')) ?? DEFAULTS.stack;
  const stackSource = take('stackSource', (raw, origin, base) => mustExist(asPath(raw, origin, base), origin, readable, 'stack source'));
  const mip = resolveMipSources(sources, readable);
  checkStackFlags(sources, stack, stackSource !== undefined);
  return { suites: [...(suites ?? DEFAULTS.suites)], stack, stackSource, images: take('image', asImages) ?? {}, mip };
}

/** The mip stack's charts, values files and data directory, each checked to exist. */
function resolveMipSources(sources: readonly Source[], readable: Readable): MipSources {
  const path = (key: SettingKey, what: string): string | undefined =>
    takeFirst(sources, key, (raw, origin, base) => mustExist(asPath(raw, origin, base), origin, readable, what));
  const files = (key: SettingKey): string[] =>
    takeFirst(sources, key, (raw, origin, base) =>
      asStringList(raw, origin).map((file) => mustExist(resolvePath(base, file), origin, readable, 'values file')),
    ) ?? [];
  const exaflowChart = path('exaflowChart', 'Exaflow chart directory');
  const webChart = path('webChart', 'MIP web chart directory');
  const data = path('data', 'data directory');
  return {
    ...(exaflowChart ? { exaflowChart } : {}),
    ...(webChart ? { webChart } : {}),
    exaflowValues: files('exaflowValues'),
    webValues: files('webValues'),
    ...(data ? { data } : {}),
  };
}

const MIP_KEYS: readonly SettingKey[] = ['exaflowChart', 'webChart', 'exaflowValues', 'webValues', 'data'];

/** Flags that belong to the other stack are a mistake worth stopping for, not something to ignore. */
function checkStackFlags(sources: readonly Source[], stack: string, hasStackSource: boolean): void {
  if (stack === 'mip' && hasStackSource) {
    const origin = sources.find((s) => s.values.stackSource !== undefined)?.origin('stackSource') ?? '--stack-source';
    throw new ConfigError(
      `${origin} names one source, but the mip stack has two charts: pass --exaflow-chart and --web-chart (with --exaflow-values/--web-values) instead.`,
    );
  }
  const image = sources.find((s) => s.values.image !== undefined);
  if (stack === 'mip' && image) {
    throw new ConfigError(
      `${image.origin('image')} does not apply to the mip stack, whose charts name their images in values: set exaflow_images / platform-ui.image (and the like) in --exaflow-values or --web-values.`,
    );
  }
  if (stack === 'mip') return;
  for (const key of MIP_KEYS) {
    const source = sources.find((s) => s.values[key] !== undefined);
    if (source)
      throw new ConfigError(
        `${source.origin(key)} applies to the mip stack only, and this run deploys ${stack}: add --stack mip or drop it.`,
      );
  }
}

/** Where reports go, and the history file the trend reads (a CI job points it at its cache). */
function resolveReports(sources: readonly Source[], cwd: string): Pick<RunConfig, 'reportDir' | 'historyFile'> {
  const reportDir = takeFirst(sources, 'reportDir', asPath) ?? resolve(cwd, DEFAULTS.reportDir);
  return { reportDir, historyFile: takeFirst(sources, 'history', asPath) ?? join(reportDir, 'history.jsonl') };
}

function originOf(sources: readonly Source[], key: SettingKey): string | undefined {
  return sources.find((s) => s.values[key] !== undefined)?.origin(key);
}

/** More trials than this would keep a cluster's nodes going down for a day. */
const MAX_TRIALS = 100;
/** A recovery objective beyond an hour is no longer a recovery claim. */
const MAX_SLO_MS = 3_600_000;

/** How recovery is measured: trials, the SLO and its floor, the fault target. */
function resolveRecovery(sources: readonly Source[]): Pick<RunConfig, 'trials' | 'sloMs' | 'floorMs' | 'target'> {
  const take = <T>(key: SettingKey, read: Reader<T>): T | undefined => takeFirst(sources, key, read);
  const sloMs = take('slo', (raw, origin) => asDuration(raw, origin, MAX_SLO_MS)) ?? DEFAULTS.sloMs;
  const floorMs = take('floor', (raw, origin) => asDuration(raw, origin, MAX_SLO_MS)) ?? DEFAULTS.floorMs;
  if (floorMs > sloMs) {
    throw new ConfigError(
      `The recovery floor (${formatSeconds(floorMs)}) is above the SLO (${formatSeconds(sloMs)}): lower --floor or raise --slo.`,
    );
  }
  return {
    trials: take('trials', (raw, origin) => asCount(raw, origin, 1, MAX_TRIALS)) ?? DEFAULTS.trials,
    sloMs,
    floorMs,
    target: take('target', asString),
  };
}

/** `--keep` and `--keep-on-failure` are one setting: the first source naming either decides. */
function takeKeep(sources: readonly Source[]): KeepPolicy | undefined {
  for (const { values, origin } of sources) {
    const always = values.keep === undefined ? undefined : asBoolean(values.keep, origin('keep'));
    const onFailure = values.keepOnFailure === undefined ? undefined : asBoolean(values.keepOnFailure, origin('keepOnFailure'));
    if (always === true && onFailure === true) {
      throw new ConfigError(
        `${origin('keep')} and ${origin('keepOnFailure')} contradict each other: choose one (keep the cluster always, or only after a failed run).`,
      );
    }
    if (always === true) return 'always';
    if (onFailure === true) return 'on-failure';
    if (always === false || onFailure === false) return 'never';
  }
  return undefined;
}

function resolveTimeouts(file: ConfigFile | undefined): Timeouts {
  const timeouts: Timeouts = { ...DEFAULTS.timeouts };
  const name = file ? basename(file.path) : '';
  for (const [key, raw] of Object.entries(file?.timeouts ?? {})) {
    timeouts[key as keyof Timeouts] = asDuration(raw, `'timeouts.${key}' in ${name}`);
  }
  return timeouts;
}

/** Flags only some suites read; given on the command line to a run without them, they are a mistake. */
const SUITE_FLAGS: readonly [SettingKey, readonly string[]][] = [
  ['trials', ['recovery']],
  ['target', ['recovery']],
  ['floor', ['recovery']],
  ['slo', ['recovery', 'chaos']],
];

function checkSuiteFlags(flags: RawSettings, suites: readonly string[]): void {
  for (const [key, users] of SUITE_FLAGS) {
    if (flags[key] === undefined || users.some((suite) => suites.includes(suite))) continue;
    const readers = users.length > 1 ? `the ${users.join(' and ')} suites` : `the ${users[0] ?? ''} suite`;
    throw new ConfigError(
      `${flagName(key)} is read only by ${readers}, and this run's suites are ${suites.join(', ')}: drop ${flagName(key)}, or add ${users[0] ?? ''} to --suite.`,
    );
  }
}

function checkDisruption(config: RunConfig): void {
  const disruptive = disruptiveSuites(config.suites);
  if (config.cluster.provider !== 'existing' || config.allowDisruption || disruptive.length === 0) return;
  const many = disruptive.length > 1;
  throw new ConfigError(
    `The ${disruptive.join(' and ')} ${many ? 'suites kill pods and stop nodes' : 'suite kills pods and stops nodes'}, and this run did not create the cluster (--cluster existing), so it refuses to run ${many ? 'them' : 'it'}: pass --allow-disruption if this cluster may be disrupted, or choose other suites with --suite.`,
  );
}

function formatSeconds(ms: number): string {
  return `${ms / 1000}s`;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
