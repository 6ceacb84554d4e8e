/**
 * What durability costs `quintet local`: cold mirrors of the same tree into fresh folders by `rsync -a`, `rsync -a
 * --fsync` (the fair baseline for a durable copy), this build (data synced before each rename, folders at the end),
 * this build with `--no-fsync`, and optionally another build with and without it (`--against <checkout>`, e.g. the one
 * before), the order rotated each round so a busy moment weighs on all. `sync` before each timed run (untimed): no run pays for the dirty
 * pages of the one before. Every copy is compared with the source (SHA-256). Put the work folder on the file system to
 * measure (its journal decides what an fsync costs; a tmpfs or an ext4 without journal says nothing):
 *
 *   TMPDIR=/mnt/jfs npx tsx bench/local/fsync-ab.ts [--small 2000 | --large 4 --large-mib 64] [--runs 5] [--against DIR]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { e2eSmallFiles } from './e2e-small-files.ts';
import { largeCorpus, writeCorpusToDisk } from '../inventory/corpus.ts';
import { snapshot } from '../../e2e-disk/support/disk-tree.ts';
import { ensureCliBundle } from './cli.ts';
import { binOf } from '../../cli/cli-process.ts';

const { values: flags } = parseArgs({
  options: {
    small: { type: 'string', default: '2000' },
    large: { type: 'string', default: '0' },
    'large-mib': { type: 'string', default: '64' },
    runs: { type: 'string', default: '5' },
    against: { type: 'string' },
  },
});

const BIN = fileURLToPath(new URL('../../cli/quintet.cjs', import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

interface Contender {
  name: string;
  /** The command, given the source and a fresh empty target. */
  argv: (src: string, dst: string) => string[];
  quintet: boolean;
}

const quintetLocal = (bin: string, extra: string[]) => (src: string, dst: string) => [process.execPath, bin, 'local', src, dst, '--preset', 'mirror', '--yes', ...extra];
const contenders: Contender[] = [
  { name: 'rsync -a', argv: (src, dst) => ['rsync', '-a', `${src}/`, `${dst}/`], quintet: false },
  { name: 'rsync -a --fsync', argv: (src, dst) => ['rsync', '-a', '--fsync', `${src}/`, `${dst}/`], quintet: false },
  { name: 'quintet local', argv: quintetLocal(BIN, []), quintet: true },
  { name: 'quintet local --no-fsync', argv: quintetLocal(BIN, ['--no-fsync']), quintet: true },
  ...(flags.against
    ? [
        { name: `other build (${flags.against})`, argv: quintetLocal(binOf(resolve(flags.against)), []), quintet: true },
        { name: `other build --no-fsync`, argv: quintetLocal(binOf(resolve(flags.against)), ['--no-fsync']), quintet: true },
      ]
    : []),
];

ensureCliBundle();
const work = mkdtempSync(join(tmpdir(), 'quintet-fsync-ab-'));
try {
  const corpus = Number(flags.large) > 0 ? largeCorpus(Number(flags.large), Number(flags['large-mib'])) : e2eSmallFiles(Number(flags.small));
  const src = join(work, 'src');
  await writeCorpusToDisk(src, corpus);
  const source = snapshot(src);
  const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  const loads: number[] = [];
  for (let round = 0; round < Number(flags.runs); round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);
    for (const c of order) {
      const [dst, state] = [join(work, 'dst'), join(work, 'state')];
      for (const dir of [dst, state, join(src, '.quintet')]) rmSync(dir, { recursive: true, force: true });
      mkdirSync(dst);
      spawnSync('sync');
      loads.push(loadavg()[0] as number);
      const [cmd, ...args] = c.argv(src, dst) as [string, ...string[]];
      const started = performance.now();
      const r = spawnSync(cmd, args, { env: { ...process.env, QUINTET_LANG: 'en', QUINTET_STATE_DIR: state }, stdio: ['ignore', 'ignore', 'pipe'] });
      const seconds = (performance.now() - started) / 1000;
      if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr.toString().slice(-2000)}`);
      const copy = snapshot(dst, c.quintet ? '.quintet' : undefined);
      const differs = [...source].find(([k, v]) => copy.get(k) !== v) ?? [...copy].find(([k]) => !source.has(k));
      if (differs) throw new Error(`${c.name}: the copy differs from the source at ${differs[0]}`);
      times.get(c.name)?.push(seconds);
    }
  }
  const base = median(times.get('rsync -a') ?? []);
  const durable = median(times.get('rsync -a --fsync') ?? []);
  console.log(`${corpus.files} files, ${(corpus.bytes / 1048576).toFixed(1)} MiB in ${work}; ${flags.runs} rounds; load average 1 min ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`);
  for (const c of contenders) {
    const xs = times.get(c.name) ?? [];
    const m = median(xs);
    console.log(`| ${c.name} | ${m.toFixed(3)} s | ${(m / base).toFixed(2)}× | ${(m / durable).toFixed(2)}× | ${xs.map((x) => x.toFixed(3)).join(', ')} |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
