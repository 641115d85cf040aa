// How a phase this process observed compares with the API's own timestamp for the same change. The API
// keeps condition times in whole seconds (truncated), so a stamp `t` means "some time in [t, t+1s)": the
// deviation is the distance from the observation to that interval, zero inside it.

/** The largest deviation accepted between an observation and the API's timestamp (ms). */
export const API_TOLERANCE_MS = 1_000;

/** One observation compared with the API's timestamp. */
export interface ApiComparison {
  /** Phase name. */
  phase: string;
  /** When this process observed the change (ISO, ms). */
  observedAt: string;
  /** The API's timestamp (ISO, whole seconds). */
  apiAt: string;
  /** Observation minus the start of the API's second (ms); negative when seen before the API says it happened. */
  offsetMs: number;
  /** Distance from the observation to the interval [apiAt, apiAt+1s) (ms). */
  deviationMs: number;
  /** Whether the deviation is within API_TOLERANCE_MS. */
  ok: boolean;
}

/** Compares an observation time with an API timestamp of one-second resolution. */
export function compareWithApi(phase: string, observedAt: string, apiAt: string, toleranceMs: number = API_TOLERANCE_MS): ApiComparison {
  const observed = Date.parse(observedAt);
  const start = Math.floor(Date.parse(apiAt) / 1000) * 1000;
  if (Number.isNaN(observed) || Number.isNaN(start))
    throw new RangeError(`cannot compare ${phase}: '${observedAt}' / '${apiAt}' is not a time`);
  const offsetMs = observed - start;
  const deviationMs = offsetMs < 0 ? -offsetMs : Math.max(0, offsetMs - 999);
  return { phase, observedAt, apiAt, offsetMs, deviationMs, ok: deviationMs <= toleranceMs };
}

/** One line per comparison, for a failure message or a step title. */
export function describeComparison(c: ApiComparison): string {
  const where = c.deviationMs === 0 ? "inside the API's second" : `${c.deviationMs} ms outside the API's second`;
  return `${c.phase}: observed ${c.observedAt}, API ${c.apiAt} (offset ${c.offsetMs} ms, ${where})`;
}

/** The comparisons over the tolerance. */
export function violations(comparisons: readonly ApiComparison[]): ApiComparison[] {
  return comparisons.filter((c) => !c.ok);
}
