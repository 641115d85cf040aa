// The run's event stream: every report (json, junit, html, history) is a pure function of these events.
// Adding a kind is a compile error until every renderer's handler table covers it.

/** Status of a check, step or suite. */
export type Status = 'passed' | 'failed' | 'skipped';

/** A serialisable error as it appears in events and reports. */
export interface EventError {
  /** One sentence naming what broke. */
  message: string;
  /** The error class or kind (`TimeoutError`, `AssertionError`, `ToolError`, ...). */
  name: string;
  /** Stack trace, kept for the evidence section; never printed to users as the message. */
  stack?: string;
}

/** A node of the cluster as recorded in `cluster.ready`. */
export interface NodeInfo {
  name: string;
  roles: string[];
  labels: Record<string, string>;
  kubeletVersion: string;
  ready: boolean;
}

/** A Helm chart of the stack, as its Chart.yaml names it. */
export interface ChartInfo {
  name: string;
  version: string;
  appVersion?: string;
  dir: string;
}

/** The checkout an image was built from (`image build --openms-source`/`--exaflow-source`), as the image's labels say. */
export interface ImageSource {
  /** `sha256:<hex>` over the checkout's files the build sent (sorted relative paths and contents). */
  digest: string;
  /** The commit of the checkout, when it is a git work tree. */
  revision?: string;
  /** Whether the checkout had changes (untracked files included) when built; only with `revision`. */
  dirty?: boolean;
  /** The checkout's remote URL, without credentials, when git has one. */
  url?: string;
}

/** One timed phase of a recovery trial. */
export interface PhaseMark {
  /** Phase name, e.g. `nodeNotReady`. */
  phase: string;
  /** Milliseconds since fault injection, from a monotonic clock. */
  ms: number;
  /** Wall-clock time the change was observed (ISO). */
  at: string;
  /** The API's own timestamp for the same change, when it has one (ISO, 1 s resolution). */
  apiAt?: string;
}

export type RunEventBody =
  | { kind: 'run.begin'; runId: string; tool: { name: string; version: string }; config: Record<string, unknown> }
  | { kind: 'run.end'; status: 'passed' | 'failed' | 'interrupted' | 'error'; exitCode: number; error?: EventError }
  | { kind: 'phase.begin'; phase: string; title: string }
  | { kind: 'phase.end'; phase: string; title: string; ms: number; status: Status; error?: EventError }
  | { kind: 'cluster.ready'; provider: string; name: string; kubernetesVersion: string; nodes: NodeInfo[] }
  | {
      kind: 'stack.ready';
      name: string;
      source: string;
      namespace: string;
      images: Record<string, string>;
      imageIds?: Record<string, string>;
      charts?: ChartInfo[];
    }
  | { kind: 'stack.images'; imageIds: Record<string, string>; sources?: Record<string, ImageSource> }
  | { kind: 'suite.begin'; suite: string; title: string }
  | { kind: 'suite.end'; suite: string; status: Status; ms: number; reason?: string }
  | { kind: 'test.begin'; suite: string; test: string }
  | { kind: 'test.end'; suite: string; test: string; status: Status; ms: number; error?: EventError; reason?: string }
  | { kind: 'step.begin'; suite: string; test: string; id: number; title: string }
  | { kind: 'step.end'; suite: string; test: string; id: number; title: string; status: Status; ms: number; error?: EventError }
  | { kind: 'wait.attempt'; what: string; attempt: number; observed: string; elapsedMs: number }
  | { kind: 'wait.done'; what: string; ok: boolean; observed: string; elapsedMs: number }
  | { kind: 'metric'; suite?: string; test?: string; name: string; value: number; unit: string; precisionMs?: number }
  | { kind: 'trial'; scenario: string; target: string; trial: number; phases: PhaseMark[]; totalMs: number; passed: boolean; sloMs: number }
  | { kind: 'artifact'; suite?: string; test?: string; path: string; contentType: string; title: string }
  | { kind: 'teardown'; title: string; status: 'passed' | 'failed'; ms: number; error?: EventError }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export type RunEventKind = RunEventBody['kind'];

/** An event as stored in `events.jsonl`. */
export type RunEvent = { v: 1; seq: number; at: string } & RunEventBody;

/** The event of one kind. */
export type EventOf<K extends RunEventKind> = Extract<RunEvent, { kind: K }>;
