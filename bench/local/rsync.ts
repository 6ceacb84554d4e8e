/** The baseline: `rsync -a src/ dst/` into a fresh empty folder, median of a few runs. */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export function rsyncVersion(): string {
  const r = spawnSync('rsync', ['--version'], { encoding: 'utf8' });
  return /rsync\s+version\s+(\S+)/.exec(r.stdout)?.[0] ?? 'rsync ?';
}

/** Seconds of each run (sorted) and their median; the last run's copy is left at `dst` for verification. `extra`: more options (`--fsync`). */
export function rsyncRuns(src: string, dst: string, runs: number, extra: readonly string[] = []): { all: number[]; seconds: number } {
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(dst, { recursive: true, force: true });
    const t = performance.now();
    const r = spawnSync('rsync', ['-a', ...extra, `${src}/`, `${dst}/`], { encoding: 'utf8' });
    all.push((performance.now() - t) / 1000);
    if (r.status !== 0) throw new Error(`rsync failed: ${r.stderr}`);
  }
  all.sort((a, b) => a - b);
  return { all, seconds: all[Math.floor(all.length / 2)]! };
}
