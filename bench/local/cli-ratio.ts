/**
 * `quintet local` beside `rsync -a` on the same tree: each run in turn into a fresh empty folder (interleaved, so a
 * busy moment of the shared machine weighs on both), every copy compared with the source file by file (SHA-256,
 * modification time to the millisecond, permission bits). bench/local/run.ts uses it for its CLI row; alone, with no
 * browser, on the 2,000 small files of bench/local:
 *
 *   npx tsx bench/local/cli-ratio.ts [--small 2000] [--runs 5]
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
  quintet: number[];
  rsyncMedian: number;
  quintetMedian: number;
  /** quintetMedian / rsyncMedian. */
  ratio: number;
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
 * `runs` × (`rsync -a src/ dst/`, then `quintet local src dst --preset mirror --yes`), each into a fresh folder under
 * `work`. The source's own index (`src/.quintet/`) is removed after each Quintet run: every run is a cold first mirror
 * that hashes the source, as rsync reads it.
 */
export async function cliBesideRsync(src: string, work: string, runs: number): Promise<CliBesideRsync> {
  rmSync(join(src, '.quintet'), { recursive: true, force: true });
  const source = fullSnapshot(src);
  const rsync: number[] = [];
  const quintet: number[] = [];
  for (let i = 0; i < runs; i++) {
    const rsyncDst = join(work, 'rsync-dst');
    rsync.push(rsyncRuns(src, rsyncDst, 1).seconds);
    assertSame('rsync -a', fullSnapshot(rsyncDst), source);
    const dst = join(work, 'cli-dst');
    rmSync(dst, { recursive: true, force: true });
    mkdirSync(dst, { recursive: true });
    quintet.push((await timeQuintetLocal(src, { target: dst })).ms / 1000);
    assertSame('quintet local', fullSnapshot(dst, '.quintet'), source);
    rmSync(join(src, '.quintet'), { recursive: true, force: true });
  }
  const rsyncMedian = median(rsync);
  const quintetMedian = median(quintet);
  return { rsync, quintet, rsyncMedian, quintetMedian, ratio: quintetMedian / rsyncMedian };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values: flags } = parseArgs({ options: { small: { type: 'string', default: '2000' }, runs: { type: 'string', default: '5' } } });
  const work = join(resolve(fileURLToPath(new URL('../..', import.meta.url))), 'bench/.work-local/cli-ratio');
  rmSync(work, { recursive: true, force: true });
  try {
    const corpus = e2eSmallFiles(Number(flags.small));
    const src = join(work, 'src');
    await writeCorpusToDisk(src, corpus);
    const r = await cliBesideRsync(src, work, Number(flags.runs));
    const s = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(', ');
    console.log(`${corpus.files} files; rsync -a: ${s(r.rsync)} s (median ${r.rsyncMedian.toFixed(3)}); quintet local: ${s(r.quintet)} s (median ${r.quintetMedian.toFixed(3)}); ratio ${r.ratio.toFixed(2)}×`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
