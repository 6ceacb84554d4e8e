/**
 * `quintet local` beside `rsync -a` on the same tree, durable and not (`quintet local` syncs what it writes by default,
 * `--no-fsync` does not; `rsync -a --fsync` and `rsync -a` the same): each run in turn into a fresh empty folder
 * (interleaved, so a busy moment of the shared machine weighs on all), every copy compared with the source file by file (SHA-256,
 * modification time to the millisecond, permission bits). bench/local/run.ts uses it for its CLI row; alone, with no
 * browser, on the 2,000 small files of bench/local:
 *
 *   npx tsx bench/local/cli-ratio.ts [--small 2000] [--runs 5] [--work <folder>]
 */
import { lstatSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { e2eSmallFiles } from './e2e-small-files.ts';
import { snapshot } from '../../e2e-disk/support/disk-tree.ts';
import { writeCorpusToDisk } from '../inventory/corpus.ts';
import { rsyncRuns } from './rsync.ts';
import { timeQuintetLocal } from './cli.ts';

export interface CliBesideRsync {
  /** Seconds of each run, in the order run. */
  rsync: number[];
  /** `quintet local` as it runs by default: each file's data and each changed folder synced (durable). */
  quintet: number[];
  /** `rsync -a --fsync`: each file synced, the durable baseline. */
  rsyncFsync: number[];
  /** `quintet local --no-fsync`: nothing synced, as `rsync -a`. */
  quintetNoFsync: number[];
  rsyncMedian: number;
  quintetMedian: number;
  rsyncFsyncMedian: number;
  quintetNoFsyncMedian: number;
  /** quintetNoFsyncMedian / rsyncMedian: the same durability on both sides (issue 11's target). */
  ratio: number;
  /** quintetMedian / rsyncFsyncMedian: durable against durable. */
  durableRatio: number;
}

/** Every path's content hash, and for files also the mtime (ms) and mode, so a copy that loses either differs. */
function fullSnapshot(root: string, skip?: string): Map<string, string> {
  const out = snapshot(root, skip);
  for (const [path, hash] of out) {
    if (hash === 'dir') continue;
    const st = lstatSync(join(root, path));
    out.set(path, `${hash} ${Math.floor(st.mtimeMs)} ${(st.mode & 0o7777).toString(8)}`);
  }
  return out;
}

function assertSame(what: string, copy: Map<string, string>, source: Map<string, string>): void {
  const differs = [...source].find(([k, v]) => copy.get(k) !== v) ?? [...copy].find(([k]) => !source.has(k));
  if (differs) throw new Error(`${what}: the copy differs from the source at ${differs[0]} (${copy.get(differs[0])} vs ${source.get(differs[0])})`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * `runs` rounds of four copies, each into a fresh folder under `work`, in an order turned by one each round (so none
 * always follows the same one on a busy machine): `rsync -a`, `rsync -a --fsync`, `quintet local … --no-fsync` and
 * `quintet local` as it runs by default (durable). The source's own index (`src/.quintet/`) is removed after each
 * Quintet run: every run is a cold first mirror that hashes the source, as rsync reads it. Every copy is checked.
 */
export async function cliBesideRsync(src: string, work: string, runs: number): Promise<CliBesideRsync> {
  rmSync(join(src, '.quintet'), { recursive: true, force: true });
  mkdirSync(work, { recursive: true }); // rsync makes only the last folder of its destination
  const source = fullSnapshot(src);
  const times = { rsync: [] as number[], rsyncFsync: [] as number[], quintetNoFsync: [] as number[], quintet: [] as number[] };
  const rsyncOnce = (name: string, extra: string[]) => () => {
    const dst = join(work, 'rsync-dst');
    const seconds = rsyncRuns(src, dst, 1, extra).seconds;
    assertSame(name, fullSnapshot(dst), source);
    return Promise.resolve(seconds);
  };
  const quintetOnce = (name: string, args: string[]) => async () => {
    const dst = join(work, 'cli-dst');
    rmSync(dst, { recursive: true, force: true });
    mkdirSync(dst, { recursive: true });
    const seconds = (await timeQuintetLocal(src, { target: dst, args })).ms / 1000;
    assertSame(name, fullSnapshot(dst, '.quintet'), source);
    rmSync(join(src, '.quintet'), { recursive: true, force: true });
    return seconds;
  };
  const contenders: Array<[keyof typeof times, () => Promise<number>]> = [
    ['rsync', rsyncOnce('rsync -a', [])],
    ['rsyncFsync', rsyncOnce('rsync -a --fsync', ['--fsync'])],
    ['quintetNoFsync', quintetOnce('quintet local --no-fsync', ['--no-fsync'])],
    ['quintet', quintetOnce('quintet local', [])],
  ];
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < contenders.length; k++) {
      const [key, run] = contenders[(i + k) % contenders.length] as [keyof typeof times, () => Promise<number>];
      times[key].push(await run());
    }
  }
  const m = { rsync: median(times.rsync), rsyncFsync: median(times.rsyncFsync), quintetNoFsync: median(times.quintetNoFsync), quintet: median(times.quintet) };
  return {
    ...times,
    rsyncMedian: m.rsync,
    quintetMedian: m.quintet,
    rsyncFsyncMedian: m.rsyncFsync,
    quintetNoFsyncMedian: m.quintetNoFsync,
    ratio: m.quintetNoFsync / m.rsync,
    durableRatio: m.quintet / m.rsyncFsync,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values: flags } = parseArgs({ options: { small: { type: 'string', default: '2000' }, runs: { type: 'string', default: '5' }, work: { type: 'string' } } });
  // --work: where the trees go (syncs cost what that file system makes them cost: a journaled one is what installs have).
  const work = flags.work ? join(resolve(flags.work), 'quintet-cli-ratio') : join(resolve(fileURLToPath(new URL('../..', import.meta.url))), 'bench/.work-local/cli-ratio');
  rmSync(work, { recursive: true, force: true });
  try {
    const corpus = e2eSmallFiles(Number(flags.small));
    const src = join(work, 'src');
    await writeCorpusToDisk(src, corpus);
    const r = await cliBesideRsync(src, work, Number(flags.runs));
    const s = (xs: number[]) => `${xs.map((x) => x.toFixed(3)).join(', ')} s (median ${median(xs).toFixed(3)})`;
    console.log(`${corpus.files} files; rsync -a: ${s(r.rsync)}; quintet local --no-fsync: ${s(r.quintetNoFsync)}; ratio ${r.ratio.toFixed(2)}×`);
    console.log(`durable: rsync -a --fsync: ${s(r.rsyncFsync)}; quintet local: ${s(r.quintet)}; ratio ${r.durableRatio.toFixed(2)}×`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
