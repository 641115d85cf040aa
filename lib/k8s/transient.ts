// Errors of the way to the Kubernetes API, not of the app: a handshake or connection that timed out, an API
// server that said 429 or 5xx, a backend it could not dial. They are retried within the caller's budget,
// and when they persist the verdict names the API, so a slow control plane is never reported as a broken app.
import { HarnessError } from '../errors.ts';

/** What kubectl and the client library say when the request did not get through (before any command ran). */
const TRANSIENT = [
  /TLS handshake timeout/i,
  /Unable to connect to the server/i,
  /connect: connection refused/i,
  /dial tcp [^:]+:\d+: i\/o timeout/i,
  /etcdserver: (request timed out|leader changed)/i,
  /the server is currently unable to handle the request/i,
  /the server has received too many requests|Too Many Requests|\b429\b/i,
  /error dialing backend/i,
  /http2: client connection lost/i,
  /\b(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN)\b/,
  /\bHTTP-Code: (429|500|502|503|504)\b/,
];

/** Whether an error is a transport failure on the way to the Kubernetes API (worth another try). */
export function isTransientApiError(error: unknown): boolean {
  if (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'number' &&
    [429, 500, 502, 503, 504].includes(error.code)
  )
    return true;
  const text = [error instanceof Error ? error.message : String(error), stderrOf(error)].join('\n');
  return TRANSIENT.some((pattern) => pattern.test(text));
}

/** The Kubernetes API did not answer within the budget: what the run could not do says so, not the app. */
export class ApiUnavailableError extends HarnessError {
  constructor(message: string, options?: ErrorOptions) {
    super('tool', message, undefined, options);
    this.name = 'ApiUnavailableError';
  }
}

function stderrOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'stderr' in error && typeof error.stderr === 'string' ? error.stderr : '';
}
