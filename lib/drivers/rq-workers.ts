// Every RQ worker registered in Redis, whatever queue it listens on. The OpenMS driver lists only the
// workers of the workflow queue, so a worker started on the wrong queue is simply absent there; to say
// *why* jobs stay queued, a suite needs the workers of every queue. Read in a pod of the app image, which
// has the RQ library and the app's Redis connection settings.

/** An RQ worker and the queues it takes jobs from. */
export interface RqWorker {
  /** RQ worker name. */
  name: string;
  /** Host (pod) it runs on. */
  hostname: string;
  /** Queues it listens on. */
  queues: string[];
}

/** Runs a command in a pod of the app image and returns its stdout. */
export type PodExec = (command: readonly string[]) => Promise<string>;

// `jobs.connect()` is the app's own Redis connection (REDIS_URL with short timeouts); the image's working
// directory holds the app's modules.
const LIST_WORKERS = [
  'import json, jobs',
  'from rq import Worker',
  'print(json.dumps([{"name": w.name, "hostname": w.hostname, "queues": w.queue_names()} for w in Worker.all(connection=jobs.connect())]))',
].join('\n');

/** The command that prints every registered worker as one JSON line. */
export const LIST_WORKERS_COMMAND: readonly string[] = ['python3', '-c', LIST_WORKERS];

/** Every worker registered in Redis. */
export async function rqWorkers(exec: PodExec): Promise<RqWorker[]> {
  const stdout = await exec(LIST_WORKERS_COMMAND);
  const line = stdout.trim().split('\n').pop() ?? '';
  const parsed: unknown = JSON.parse(line);
  if (!Array.isArray(parsed)) throw new Error(`listing the RQ workers printed no JSON list (got: ${line.slice(0, 200) || 'nothing'})`);
  return parsed.map((entry: unknown) => {
    const worker = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const queues = Array.isArray(worker.queues) ? worker.queues.filter((queue): queue is string => typeof queue === 'string') : [];
    return { name: text(worker.name), hostname: text(worker.hostname), queues };
  });
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * One sentence on who consumes `queue`, for a failure message: which of `pods` listen on it, or, when
 * none does, the queues they listen on instead.
 */
export function queueConsumers(queue: string, workers: readonly RqWorker[], pods: readonly string[]): string {
  const ours = workers.filter((worker) => pods.includes(worker.hostname));
  const consuming = ours.filter((worker) => worker.queues.includes(queue));
  if (consuming.length > 0) return `${consuming.length} of ${pods.length} worker pods consume queue ${queue}`;
  if (ours.length === 0) return `no worker consumes queue ${queue} (no RQ worker of the ${pods.length} worker pods is registered in Redis)`;
  const elsewhere = [...new Set(ours.flatMap((worker) => worker.queues))].sort();
  return `no worker consumes queue ${queue} (workers listen on: ${elsewhere.join(', ') || 'no queue'})`;
}
