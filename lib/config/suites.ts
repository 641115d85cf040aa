// The suites a run can choose: their names, their one-line descriptions and how `--suite` is read.
import { ConfigError } from '../errors.ts';
import { SUITE_NAMES, type SuiteName } from './types.ts';

/** A suite as `mip-verify list` shows it. */
export interface SuiteInfo {
  /** Name as given to `--suite`. */
  readonly name: SuiteName;
  /** What the suite proves, in one line. */
  readonly description: string;
  /** Whether the suite kills pods or stops nodes (needs `--allow-disruption` on an existing cluster). */
  readonly disruptive: boolean;
}

/** Every suite, in the order `all` runs them. */
export const SUITES: readonly SuiteInfo[] = Object.freeze([
  {
    name: 'smoke',
    description: 'everything Ready, health through the ingress, one real workflow (OpenMS) or federated experiment (MIP) end to end',
    disruptive: false,
  },
  {
    name: 'sessions',
    description: 'OpenMS: several web replicas, browser sessions stay on one pod and the websocket stays up',
    disruptive: false,
  },
  {
    name: 'scaling',
    description: 'OpenMS: several workers, concurrent jobs (k6 load) all finish and spread over the workers',
    disruptive: false,
  },
  {
    name: 'chaos',
    description: 'pods killed: OpenMS jobs end or retry and workspaces survive; MIP notices a lost worker and answers again',
    disruptive: true,
  },
  { name: 'cleanup', description: 'OpenMS: the cleanup CronJob removes stale workspaces and keeps fresh ones', disruptive: false },
  { name: 'recovery', description: 'worker node down, node reboot, control plane down: recovery timed against the SLO', disruptive: true },
] satisfies SuiteInfo[]);

/** The word that selects every suite. */
export const ALL_SUITES = 'all';

/**
 * Reads a suite selection (`smoke,chaos`, `all`, or a list of such words) into suite names,
 * without duplicates and in the canonical order, so the same selection always runs the same way.
 */
export function parseSuites(value: string | readonly string[], origin = '--suite'): SuiteName[] {
  const words = (typeof value === 'string' ? [value] : value)
    .flatMap((part) => part.split(','))
    .map((word) => word.trim())
    .filter((word) => word !== '');
  if (words.length === 0) {
    throw new ConfigError(`${origin} is empty. Name one or more of: ${validSuiteWords()}.`);
  }
  const chosen = new Set<string>();
  for (const word of words) {
    if (word === ALL_SUITES) SUITE_NAMES.forEach((name) => chosen.add(name));
    else if (isSuiteName(word)) chosen.add(word);
    else throw new ConfigError(`Unknown suite '${word}'. Valid suites: ${validSuiteWords()}.`);
  }
  return SUITE_NAMES.filter((name) => chosen.has(name));
}

/** The suites of a selection that kill pods or stop nodes. */
export function disruptiveSuites(suites: readonly SuiteName[]): SuiteName[] {
  return suites.filter((name) => SUITES.some((info) => info.name === name && info.disruptive));
}

function isSuiteName(word: string): word is SuiteName {
  return (SUITE_NAMES as readonly string[]).includes(word);
}

function validSuiteWords(): string {
  return [...SUITE_NAMES, ALL_SUITES].join(', ');
}
