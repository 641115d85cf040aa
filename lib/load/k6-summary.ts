// k6's `--summary-export` file, read into the few figures a suite reports. The file maps each metric
// (tagged sub-metrics such as `http_req_duration{name:submit}` included) to its values, with a
// `thresholds` object whose booleans say whether each threshold was crossed; `root_group.checks` has the
// passes and fails of every named check.

/** The statistics of a trend metric, in its unit (ms for time trends). */
export interface K6Trend {
  /** Mean. */
  avg: number;
  /** Median. */
  med: number;
  /** 95th percentile. */
  p95: number;
  /** Largest value. */
  max: number;
}

/** One named k6 check. */
export interface K6Check {
  /** The check's name in the script. */
  name: string;
  /** Times it held. */
  passes: number;
  /** Times it did not. */
  fails: number;
}

/** One threshold of the script. */
export interface K6Threshold {
  /** Metric it applies to. */
  metric: string;
  /** Its expression, e.g. `rate==1`. */
  expression: string;
  /** Whether the run crossed it (the threshold failed). */
  crossed: boolean;
}

/** What a k6 run reports. */
export interface K6Summary {
  /** Completed iterations. */
  iterations: number;
  /** HTTP requests made. */
  httpRequests: number;
  /** Share of HTTP requests that failed (0–1). */
  httpFailedRate: number;
  /** Every trend metric by name (`http_req_duration`, `http_req_duration{name:submit}`, custom ones). */
  trends: Record<string, K6Trend>;
  /** Every named check. */
  checks: K6Check[];
  /** Every threshold. */
  thresholds: K6Threshold[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function trendOf(values: Json): K6Trend | undefined {
  if (!('p(95)' in values)) return undefined;
  return { avg: num(values.avg), med: num(values.med), p95: num(values['p(95)']), max: num(values.max) };
}

function checksOf(rootGroup: unknown): K6Check[] {
  const checks = isObject(rootGroup) ? rootGroup.checks : undefined;
  // Older k6 versions wrote the checks as an array, newer ones as an object keyed by name.
  const list: unknown[] = Array.isArray(checks) ? checks : isObject(checks) ? Object.values(checks) : [];
  return list.filter(isObject).map((check) => ({ name: String(check.name), passes: num(check.passes), fails: num(check.fails) }));
}

/** Reads the text of a `--summary-export` file. */
export function parseK6Summary(text: string): K6Summary {
  const parsed: unknown = JSON.parse(text);
  if (!isObject(parsed) || !isObject(parsed.metrics)) throw new Error('the k6 summary has no "metrics" object');
  const summary: K6Summary = {
    iterations: 0,
    httpRequests: 0,
    httpFailedRate: 0,
    trends: {},
    checks: checksOf(parsed.root_group),
    thresholds: [],
  };
  for (const [name, values] of Object.entries(parsed.metrics)) {
    if (!isObject(values)) continue;
    const trend = trendOf(values);
    if (trend) summary.trends[name] = trend;
    const thresholds = isObject(values.thresholds) ? values.thresholds : {};
    for (const [expression, crossed] of Object.entries(thresholds))
      summary.thresholds.push({ metric: name, expression, crossed: crossed === true });
  }
  const metric = (name: string): Json => (isObject(parsed.metrics) && isObject(parsed.metrics[name]) ? parsed.metrics[name] : {});
  summary.iterations = num(metric('iterations').count);
  summary.httpRequests = num(metric('http_reqs').count);
  summary.httpFailedRate = num(metric('http_req_failed').value);
  return summary;
}
