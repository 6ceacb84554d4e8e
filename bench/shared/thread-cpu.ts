/** CPU seconds per thread of a live process, grouped by thread name, from /proc/<pid>/task (Linux; empty elsewhere). */
import { readdir, readFile } from 'node:fs/promises';

/** One look: each thread's name and CPU clock ticks (user + system) so far, by thread id. */
export type ThreadTicks = Map<string, { name: string; ticks: number }>;

/** Every thread's CPU ticks of `pid` now. */
export async function threadTicks(pid: number | undefined): Promise<ThreadTicks> {
  const out: ThreadTicks = new Map();
  if (pid === undefined) return out;
  const tids = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  await Promise.all(tids.map(async (tid) => {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
    if (!stat) return;
    // The main thread carries the process's name, and so do threads native code starts without naming them.
    const name = tid === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(tid, { name, ticks: Number(fields[11] ?? 0) + Number(fields[12] ?? 0) });
  }));
  return out;
}

/**
 * CPU seconds between two looks, summed by thread name (numbered names such as "libuv-worker" or "V8 Worker" grouped),
 * largest first; a thread born between the looks counts from zero.
 */
export function threadSeconds(before: ThreadTicks, after: ThreadTicks): [string, number][] {
  const byName = new Map<string, number>();
  for (const [tid, { name, ticks }] of after) {
    const spent = (ticks - (before.get(tid)?.ticks ?? 0)) / 100; // clock ticks, USER_HZ = 100
    const key = name.replace(/[\s_-]*\d+$/, '');
    byName.set(key, (byName.get(key) ?? 0) + spent);
  }
  return [...byName].filter(([, s]) => s > 0).sort((x, y) => y[1] - x[1]);
}

/** "name 1.23 s, name 0.45 s, …" */
export function formatThreads(rows: [string, number][]): string {
  return rows.map(([name, s]) => `${name} ${s.toFixed(2)} s`).join(', ');
}
