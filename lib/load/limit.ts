// A concurrency limit for calls that are expensive on this machine (each OpenMS driver call is a `kubectl
// exec`: a process, an API round trip and a Python start in the pod), so a load tool's many virtual users
// queue here instead of starving the cluster they are measuring.

/** Runs a task once fewer than the limit are running; tasks start in the order they arrived. */
export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

/** A limit of `concurrency` tasks at once (at least 1). */
export function limit(concurrency: number): Limit {
  const most = Math.max(1, Math.floor(concurrency));
  const waiting: (() => void)[] = [];
  let running = 0;
  const next = (): void => {
    if (running >= most) return;
    const start = waiting.shift();
    if (!start) return;
    running += 1;
    start();
  };
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      waiting.push(() => {
        // A task that throws synchronously must still free its slot.
        void Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(() => {
            running -= 1;
            next();
          });
      });
      next();
    });
}
