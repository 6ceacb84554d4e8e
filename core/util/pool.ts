/** Bounded concurrency without timers: at most N tasks in flight. */

/** Returns `run(task)`: starts the task when fewer than `limit` run, else queues it. */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  // A queue read from `head` on: Array.shift moves every element behind, and a walk queues a whole listing at once.
  let queue: Array<() => void> = [];
  let head = 0;
  const next = () => {
    active--;
    const start = queue[head];
    if (start === undefined) return;
    head++;
    if (head === queue.length) [queue, head] = [[], 0];
    start();
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        active++;
        task().then(resolve, reject).finally(next);
      };
      if (active < limit) start();
      else queue.push(start);
    });
}

/** Runs `fn` over every item with at most `limit` in flight; resolves when all finished, rejects on the first failure. */
export async function forEachPool<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
