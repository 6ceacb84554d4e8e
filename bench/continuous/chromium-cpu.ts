/** CPU time of the Chromium processes under this one, per process (browser, renderer, utility …) from /proc. */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

const TICK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** One Chromium process: what it is (its --type, and for a utility its service) and its CPU seconds (user + system). */
export interface ChromiumProcess {
  pid: number;
  kind: string;
  seconds: number;
}

function kindOf(cmdline: string): string {
  const args = cmdline.split(/[\0 ]/);
  const type = args.find((a) => a.startsWith('--type='))?.slice(7);
  if (!type) return 'browser';
  const service = args.find((a) => a.startsWith('--utility-sub-type='))?.slice(19);
  return service ? `${type} (${service})` : type;
}

/** Every Chromium process that descends from this Node process, with its CPU seconds so far. */
export async function chromiumProcesses(): Promise<ChromiumProcess[]> {
  const parents = new Map<number, number>();
  const found: { pid: number; ticks: number }[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const m = /^(\d+) \((.*)\) \S+ (\d+)((?: \S+){9}) (\d+) (\d+)/.exec(stat);
    if (!m) continue;
    parents.set(Number(m[1]), Number(m[3]));
    if ((m[2] as string).startsWith('chrom')) found.push({ pid: Number(m[1]), ticks: Number(m[5]) + Number(m[6]) });
  }
  const under = (pid: number): boolean => {
    for (let p = parents.get(pid), n = 0; p !== undefined && n < 64; p = parents.get(p), n++) if (p === process.pid) return true;
    return false;
  };
  const out: ChromiumProcess[] = [];
  for (const { pid, ticks } of found) {
    if (!under(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    out.push({ pid, kind: kindOf(cmdline), seconds: ticks / TICK });
  }
  return out;
}

/** CPU seconds of every Chromium process of this run. */
export async function chromiumCpuSeconds(): Promise<number> {
  return (await chromiumProcesses()).reduce((s, p) => s + p.seconds, 0);
}

/** Runs `wait` and returns the share of one core each Chromium process (and all of them) spent meanwhile. */
export async function cpuShare(wait: () => Promise<void>): Promise<{ total: number; perProcess: { pid: number; kind: string; share: number }[] }> {
  const before = new Map((await chromiumProcesses()).map((p) => [p.pid, p.seconds]));
  const t0 = Date.now();
  await wait();
  const after = await chromiumProcesses();
  const wall = (Date.now() - t0) / 1000;
  const perProcess = after.map((p) => ({ pid: p.pid, kind: p.kind, share: (p.seconds - (before.get(p.pid) ?? 0)) / wall }));
  return { total: perProcess.reduce((s, p) => s + p.share, 0), perProcess: perProcess.sort((a, b) => b.share - a.share) };
}

/** CPU seconds of each thread of `pid`, summed by thread name (V8's GC helpers, workers, the main thread …). */
export async function threadSeconds(pid: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
    const m = /^(\d+) \((.*)\) \S+ (\d+)((?: \S+){9}) (\d+) (\d+)/.exec(stat);
    if (m) out.set(m[2] as string, (out.get(m[2] as string) ?? 0) + (Number(m[5]) + Number(m[6])) / TICK);
  }
  return out;
}
