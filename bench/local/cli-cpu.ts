/**
 * `quintet local` of this checkout against another build, by CPU rather than wall time (for a shared, busy machine):
 * cold mirrors of the same small files into fresh folders, the two builds alternated run by run, each run's CPU time
 * (every thread) and its main thread's on-CPU time (bench/shared/cpu-at-exit.mjs), plus wall time. The tree lives on
 * /dev/shm when there is one (no disk wait: what is left is the command's own work). Run:
 * `npx tsx bench/local/cli-cpu.ts --against <checkout> [--runs 9] [--small 2000]` (the other checkout needs its bundle:
 * `node scripts/build-cli.mjs` there; `git archive <commit> | tar -x -C <dir>` makes one).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { e2eSmallFiles } from './e2e-small-files.ts';
import { writeCorpusToDisk } from '../inventory/corpus.ts';
import { ensureCliBundle } from './cli.ts';
import { binOf } from '../../cli/cli-process.ts';

const { values: flags } = parseArgs({ options: { against: { type: 'string' }, runs: { type: 'string', default: '9' }, small: { type: 'string', default: '2000' } } });
if (!flags.against) throw new Error('--against <checkout> is required');
const bins = { this: fileURLToPath(new URL('../../cli/quintet.cjs', import.meta.url)), other: binOf(resolve(flags.against)) };
const preload = new URL('../shared/cpu-at-exit.mjs', import.meta.url).href;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

ensureCliBundle();
const work = join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), `quintet-cli-cpu-${process.pid}`);
rmSync(work, { recursive: true, force: true });
try {
  const corpus = e2eSmallFiles(Number(flags.small));
  const src = join(work, 'src');
  await writeCorpusToDisk(src, corpus);
  const runs: Record<keyof typeof bins, Array<{ cpuMs: number; mainMs: number | null; wallMs: number }>> = { this: [], other: [] };
  for (let i = 0; i < Number(flags.runs); i++) {
    for (const which of i % 2 === 0 ? (['this', 'other'] as const) : (['other', 'this'] as const)) {
      const [dst, state, log] = [join(work, 'dst'), join(work, 'state'), join(work, 'cpu.jsonl')];
      for (const dir of [dst, state, join(src, '.quintet')]) rmSync(dir, { recursive: true, force: true });
      rmSync(log, { force: true });
      mkdirSync(dst);
      const started = performance.now();
      const r = spawnSync(process.execPath, [`--import=${preload}`, bins[which], 'local', src, dst, '--preset', 'mirror', '--yes'], {
        env: { ...process.env, QUINTET_LANG: 'en', QUINTET_STATE_DIR: state, QUINTET_CPU_AT_EXIT: log },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const wallMs = performance.now() - started;
      if (r.status !== 0) throw new Error(`${which} build: quintet local exited ${r.status}: ${r.stderr.toString().slice(-2000)}`);
      runs[which].push({ ...(JSON.parse(readFileSync(log, 'utf8').trim()) as { cpuMs: number; mainMs: number | null }), wallMs });
    }
  }
  console.log(`${corpus.files} files in ${work}; this: ${bins.this}; other: ${bins.other}`);
  for (const which of ['this', 'other'] as const) {
    const r = runs[which];
    const list = (k: 'cpuMs' | 'mainMs' | 'wallMs') => r.map((x) => (x[k] ?? NaN).toFixed(0)).join(', ');
    const med = (k: 'cpuMs' | 'mainMs' | 'wallMs') => median(r.map((x) => x[k] ?? NaN)).toFixed(0);
    console.log(`${which}: CPU ${list('cpuMs')} ms (median ${med('cpuMs')}); main thread ${list('mainMs')} ms (median ${med('mainMs')}); wall ${list('wallMs')} ms (median ${med('wallMs')})`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
