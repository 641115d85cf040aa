// The recovery scenarios: which fault each injects, which phases it watches for, which of them end the
// trial (its total), and which node it hits.

/** Phases a trial may observe, in the order they usually happen. */
export const PHASES = [
  'apiUnreachable',
  'nodeNotReady',
  'podsEvicted',
  'podsReady',
  'apiAnswering',
  'healthBack',
  'serviceAnswering',
  'nodeReady',
] as const;

/** A phase name. */
export type Phase = (typeof PHASES)[number];

/** How the node is faulted: stopped for the whole trial, restarted, or stopped and started again. */
export type FaultKind = 'stop' | 'restart' | 'stop-start';

/** One scenario. */
export interface Scenario {
  /** Name as reported (trials are grouped by it). */
  name: string;
  /** The fault. */
  fault: FaultKind;
  /** Whether it hits the control-plane node rather than a worker. */
  controlPlane: boolean;
  /** Phases looked for; those not seen are reported absent with the reason. */
  watched: readonly Phase[];
  /** Phases that end the trial: its total is the last of them. */
  ends: readonly Phase[];
  /** tolerationSeconds the stack's pods get for this scenario only (not-ready/unreachable); absent: as deployed. */
  tolerationSeconds?: number;
  /** One sentence for titles. */
  summary: string;
}

/** The three scenarios of the suite. */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'worker-down',
    fault: 'stop',
    controlPlane: false,
    watched: ['nodeNotReady', 'podsEvicted', 'podsReady', 'healthBack', 'serviceAnswering'],
    ends: ['serviceAnswering'],
    summary: 'the node running the workers stays down; its pods must be replaced elsewhere',
  },
  {
    name: 'worker-reboot',
    fault: 'restart',
    controlPlane: false,
    watched: ['nodeNotReady', 'podsReady', 'healthBack', 'serviceAnswering', 'nodeReady'],
    ends: ['serviceAnswering', 'nodeReady'],
    summary: 'the node running the workers restarts',
  },
  {
    name: 'control-plane-down',
    fault: 'stop-start',
    controlPlane: true,
    watched: ['apiUnreachable', 'apiAnswering', 'nodeNotReady', 'healthBack', 'serviceAnswering', 'nodeReady'],
    ends: ['apiAnswering', 'serviceAnswering'],
    summary: 'the control-plane node stops and starts again: the API is unreachable meanwhile',
  },
];

/** `worker-down` with the stack's not-ready/unreachable tolerations cut to `seconds`, for the side-by-side comparison. */
export function shortTolerationScenario(seconds: number): Scenario {
  const base = SCENARIOS[0] as Scenario;
  return {
    ...base,
    name: `${base.name}-tolerations-${seconds}s`,
    tolerationSeconds: seconds,
    summary: `${base.summary}, with tolerationSeconds ${seconds}`,
  };
}

/** A node as the target choice needs it. */
export interface NodeRole {
  /** Node name. */
  name: string;
  /** Whether it is a control-plane node. */
  controlPlane: boolean;
}

/** The node a scenario hits: the control plane, the configured target, or the node of the stack's workers. */
export function pickTarget(scenario: Scenario, nodes: readonly NodeRole[], workerNodes: readonly string[], configured?: string): string {
  const names = nodes.map((n) => n.name).join(', ') || 'none';
  if (scenario.controlPlane) {
    const planes = nodes.filter((n) => n.controlPlane);
    if (planes.length !== 1)
      throw new Error(`${scenario.name} needs exactly one control-plane node, found ${planes.length} (nodes: ${names})`);
    return (planes[0] as NodeRole).name;
  }
  if (configured !== undefined && configured !== '') {
    if (!nodes.some((n) => n.name === configured)) throw new Error(`--target ${configured} is not a node of the cluster (nodes: ${names})`);
    return configured;
  }
  const workers = nodes.filter((n) => !n.controlPlane).map((n) => n.name);
  const hosting = [...new Set(workerNodes)].filter((n) => workers.includes(n)).sort();
  if (hosting.length === 0)
    throw new Error(
      `no worker node runs a pod of the stack's workers (worker pods on: ${workerNodes.join(', ') || 'none'}; nodes: ${names})`,
    );
  return hosting[0] as string;
}
