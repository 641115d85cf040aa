// Every RQ worker registered in Redis, whatever queue it listens on. The OpenMS driver lists only the
// workers of the workflow queue, so a worker started on the wrong queue is simply absent there; to say
// *why* jobs stay queued, a suite needs the workers of every queue (the driver's `workers` command).

/** An RQ worker and the queues it takes jobs from. */
export interface RqWorker {
  /** RQ worker name. */
  name: string;
  /** Host (pod) it runs on. */
  hostname: string;
  /** Queues it listens on. */
  queues: string[];
}

/** The workers as the driver's `workers` command lists them (`[{name, hostname, queues}]`). */
export function rqWorkers(listed: unknown): RqWorker[] {
  if (!Array.isArray(listed)) throw new Error(`listing the RQ workers gave no list (got: ${JSON.stringify(listed).slice(0, 200)})`);
  return listed.map((entry: unknown) => {
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
