// How long RQ takes to declare the job of a killed worker failed, from the worker's own settings.
// A job's entry in the started registry lives for its heartbeat TTL after the last heartbeat; only a
// registry cleanup (worker maintenance) then moves it to the failed registry. An idle worker blocks
// on the queue for (worker TTL - 15 s) between maintenance checks, so cleanups happen at the first
// multiple of that wait that is at least the maintenance interval (RQ 2.x, rq/worker/base.py).
import type { V1Container } from '@kubernetes/client-node';

/** RQ defaults (rq/defaults.py). */
export const RQ_DEFAULTS = { workerTtlS: 420, maintenanceIntervalS: 600, jobMonitoringIntervalS: 30 } as const;

/** The worker settings that bound abandoned-job detection, and the bound. */
export interface RqTimings {
  /** `--worker-ttl` (s). */
  workerTtlS: number;
  /** `--maintenance-interval` (s). */
  maintenanceIntervalS: number;
  /** `--job-monitoring-interval` (s). */
  jobMonitoringIntervalS: number;
  /** How long a started job outlives its worker's last heartbeat (monitoring interval + 60 s). */
  heartbeatTtlS: number;
  /** Longest time between two registry cleanups of an idle worker. */
  cleanupPeriodS: number;
  /** Worst case from the kill to the job in the failed registry, not counting the replacement pod's start. */
  abandonedBoundS: number;
  /** Where the values came from: the flags found, or "RQ defaults". */
  source: string;
}

/** The timings of a worker container (its command and args are searched for the RQ flags). */
export function rqTimings(container: Pick<V1Container, 'command' | 'args'> | undefined): RqTimings {
  const words = [...(container?.command ?? []), ...(container?.args ?? [])].flatMap((part) => part.split(/\s+/));
  const found: string[] = [];
  const flag = (name: string, fallback: number): number => {
    const value = flagValue(words, name);
    if (value === undefined) return fallback;
    found.push(`${name} ${value}`);
    return value;
  };
  const workerTtlS = flag('--worker-ttl', RQ_DEFAULTS.workerTtlS);
  const maintenanceIntervalS = flag('--maintenance-interval', RQ_DEFAULTS.maintenanceIntervalS);
  const jobMonitoringIntervalS = flag('--job-monitoring-interval', RQ_DEFAULTS.jobMonitoringIntervalS);
  const heartbeatTtlS = jobMonitoringIntervalS + 60;
  const dequeueWaitS = Math.max(1, workerTtlS - 15);
  const cleanupPeriodS = dequeueWaitS * Math.max(1, Math.ceil(maintenanceIntervalS / dequeueWaitS));
  return {
    workerTtlS,
    maintenanceIntervalS,
    jobMonitoringIntervalS,
    heartbeatTtlS,
    cleanupPeriodS,
    abandonedBoundS: heartbeatTtlS + cleanupPeriodS,
    source: found.length > 0 ? found.join(', ') : 'RQ defaults',
  };
}

function flagValue(words: readonly string[], name: string): number | undefined {
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]?.replace(/^["']|["']$/g, '') ?? '';
    const raw = word === name ? words[i + 1] : word.startsWith(`${name}=`) ? word.slice(name.length + 1) : undefined;
    const value = raw === undefined ? NaN : Number(raw.replace(/^["']|["']$/g, ''));
    if (Number.isFinite(value) && value > 0) return value;
  }
  return undefined;
}
