/** CPU seconds used so far by one Chromium (found by its profile folder) and its children, by process type (Linux /proc). */
import { readFileSync, readdirSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  cmd: string;
  cpu: number;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  const tick = 100; // USER_HZ on Linux
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const fields = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out.push({ pid: Number(name), ppid: Number(fields[1]), cmd, cpu: (Number(fields[11]) + Number(fields[12])) / tick });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** The processes of the Chromium using `profileDir` (its browser process and every descendant). */
function chromiumTree(profileDir: string): Proc[] {
  const all = processes();
  const root = all.find((p) => p.cmd.includes(`--user-data-dir=${profileDir}`) && !p.cmd.includes('--type='));
  if (!root) return [];
  const tree = new Set([root.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (tree.has(p.pid) || !tree.has(p.ppid)) continue;
      tree.add(p.pid);
      grew = true;
    }
  }
  return all.filter((p) => tree.has(p.pid));
}

/** CPU seconds by type (`browser`, `renderer`, `gpu-process`, `utility` …) of the Chromium using `profileDir`. */
export function chromiumCpu(profileDir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of chromiumTree(profileDir)) {
    const type = /--type=([a-z-]+)/.exec(p.cmd)?.[1] ?? 'browser';
    out[type] = (out[type] ?? 0) + p.cpu;
  }
  return out;
}

/**
 * CPU seconds by renderer thread (`comm/tid`: `DedicatedWorker/4242`, `ThreadPoolForeg/…`, the main thread's
 * `chromium/…`) of the Chromium using `profileDir`: where a renderer's time goes, which the process total does not say.
 */
export function rendererThreadCpu(profileDir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of chromiumTree(profileDir)) {
    if (!p.cmd.includes('--type=renderer')) continue;
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${p.pid}/task`);
    } catch {
      continue; // gone meanwhile
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${p.pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out[`${name}/${tid}`] = (out[`${name}/${tid}`] ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        /* thread gone meanwhile */
      }
    }
  }
  return out;
}

/** `after − before`, per type, rounded to 10 ms. */
export function cpuSpent(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, Math.round((v - (before[k] ?? 0)) * 100) / 100]));
}
