// A submission gateway: a small HTTP front for job operations that have no HTTP API of their own (the
// OpenMS app is a Streamlit page), so that a load tool such as k6 can drive them. It listens on 127.0.0.1
// only, runs a bounded number of backend calls at once, and records every job it submitted so that the
// caller judges each job itself afterwards instead of trusting what the load tool saw.
//   POST /workflows        → 201 {"workspace", "jobId"}
//   GET  /workflows/<ws>   → 200 the backend's status object (404 for a workspace it did not submit)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pLimit from 'p-limit';

/** What the gateway turns requests into. */
export interface GatewayBackend {
  /** Creates and submits one job; resolves with its workspace and job id. */
  submit(signal: AbortSignal): Promise<{ workspace: string; jobId: string }>;
  /** The job's current status, answered as JSON (its `status` field is what a poller reads). */
  status(workspace: string, signal: AbortSignal): Promise<object>;
}

/** A job the gateway submitted. */
export interface Submission {
  /** Workspace the job belongs to. */
  workspace: string;
  /** The job id the backend returned. */
  jobId: string;
  /** When the submission was requested (ISO time). */
  requestedAt: string;
  /** How long the submission took, waiting for a free slot included (ms). */
  submitMs: number;
}

/** A request the backend could not serve. */
export interface GatewayFailure {
  /** `submit` or `status <workspace>`. */
  call: string;
  /** The backend's error message. */
  error: string;
}

/** How the gateway runs. */
export interface GatewayOptions {
  /** Backend calls running at once (default 2); the others wait in arrival order. */
  concurrency?: number;
  /** Longest one backend call may take before it is aborted (default 120 s). */
  callTimeoutMs?: number;
}

/** A running gateway. */
export interface Gateway {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Jobs submitted so far, in the order they were accepted. */
  submissions(): readonly Submission[];
  /** Requests the backend failed, in order. */
  failures(): readonly GatewayFailure[];
  /** Stops listening, drops open connections and aborts backend calls still running. */
  close(): Promise<void>;
}

class HttpReply extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Starts a gateway on 127.0.0.1 at a free port. */
export async function startGateway(backend: GatewayBackend, options: GatewayOptions = {}): Promise<Gateway> {
  const closing = new AbortController();
  const submitted: Submission[] = [];
  const failed: GatewayFailure[] = [];
  const route = router(backend, boundedCalls(options, closing.signal, failed), submitted);
  const server = createServer((request, response) => {
    request.resume();
    void route(request).then(
      (reply) => send(response, reply.status, reply.body),
      (error: unknown) =>
        send(response, error instanceof HttpReply ? error.status : 500, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    submissions: () => [...submitted],
    failures: () => [...failed],
    close: async () => {
      closing.abort(new Error('the submission gateway closed'));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs one backend call (`what` names it in failures) in a free slot. */
type BackendCall = <T>(what: string, task: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/** Backend calls a bounded number at a time, each with its own time limit and aborted on close; a failure is recorded and answers 502. */
function boundedCalls(options: GatewayOptions, closing: AbortSignal, failed: GatewayFailure[]): BackendCall {
  const slot = pLimit(options.concurrency ?? 2);
  return <T>(what: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    slot(() => task(AbortSignal.any([closing, AbortSignal.timeout(options.callTimeoutMs ?? 120_000)]))).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      failed.push({ call: what, error: message });
      throw new HttpReply(502, message);
    });
}

/** The routes: `POST /workflows` submits a job (recorded in `submitted`), `GET /workflows/<ws>` reads a submitted job's status. */
function router(
  backend: GatewayBackend,
  call: BackendCall,
  submitted: Submission[],
): (request: IncomingMessage) => Promise<{ status: number; body: object }> {
  return async (request) => {
    const path = new URL(request.url ?? '/', 'http://gateway').pathname;
    if (path === '/workflows' && request.method === 'POST') {
      const requested = Date.now();
      const job = await call('submit', (signal) => backend.submit(signal));
      submitted.push({ ...job, requestedAt: new Date(requested).toISOString(), submitMs: Date.now() - requested });
      return { status: 201, body: job };
    }
    const match = /^\/workflows\/([^/]+)$/.exec(path);
    if (match?.[1] && request.method === 'GET') {
      const workspace = decodeURIComponent(match[1]);
      if (!submitted.some((job) => job.workspace === workspace))
        throw new HttpReply(404, `workspace ${workspace} was not submitted through this gateway`);
      return { status: 200, body: await call(`status ${workspace}`, (signal) => backend.status(workspace, signal)) };
    }
    throw new HttpReply(404, `no route for ${request.method ?? '?'} ${path}`);
  };
}

function listen(server: ReturnType<typeof createServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function send(response: ServerResponse, status: number, body: object): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
