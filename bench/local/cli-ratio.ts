/**
 * `quintet local` against `rsync -a` alone (no browser): the 2,000 small files of bench/local, each tool run in turn
 * into a fresh empty folder, every copy compared with the source file by file (SHA-256, modification time, mode).
 *
 *   npx tsx bench/local/cli-ratio.ts [--small 2000] [--runs 5]
 */
import { lstatSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sourceCorpus } from '../../e2e/support/corpus.ts';
import { snapshot } from '../../e2e-disk/support/disk-tree.ts';
import { writeCorpusToDisk, type Corpus } from '../inventory/corpus.ts';
import { rsyncRuns } from './rsync.ts';
import { timeQuintetLocal } from './cli.ts';

const { values: flags } = parseArgs({ options: { small: { type: 'string', default: '2000' }, runs: { type: 'string', default: '5' } } });
const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const work = join(repo, 'bench/.work-local-cli');

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
function sameTree(a: Map<string, string>, b: Map<string, string>): boolean {
  const differs = [...a].find(([k, v]) => b.get(k) !== v) ?? [...b].find(([k]) => !a.has(k));
  if (differs) console.error(`differs: ${differs[0]} ${differs[1]} / ${b.get(differs[0])}`);
  return !differs;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

rmSync(work, { recursive: true, force: true });
try {
  const spec = Object.fromEntries(Object.entries(sourceCorpus({ bigMiB: 0, small: Number(flags.small) })).filter(([path]) => path.startsWith('many/')));
  const corpus: Corpus = { name: 'small', spec, files: Object.keys(spec).length, bytes: 0 };
  const src = join(work, 'src');
  await writeCorpusToDisk(src, corpus);
  const source = fullSnapshot(src);
  const runs = Number(flags.runs);
  const rsync: number[] = [];
  const cli: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved, so a busy moment of the shared machine weighs on both.
    rsync.push(rsyncRuns(src, join(work, 'rsync-dst'), 1).seconds);
    if (!sameTree(fullSnapshot(join(work, 'rsync-dst')), source)) throw new Error('rsync copy differs from the source');
    const dst = join(work, 'cli-dst');
    rmSync(dst, { recursive: true, force: true });
    mkdirSync(dst);
    cli.push((await timeQuintetLocal(src, { target: dst })).ms / 1000);
    if (!sameTree(fullSnapshot(dst, '.quintet'), source)) throw new Error('quintet local: the target differs from the source');
    // The source's index (its `.quintet/`) goes too: every run is a cold first mirror that hashes the source.
    rmSync(join(src, '.quintet'), { recursive: true, force: true });
  }
  const r = median(rsync);
  const q = median(cli);
  console.log(JSON.stringify({ files: corpus.files, rsync: rsync.map((s) => +s.toFixed(3)), quintet: cli.map((s) => +s.toFixed(3)), rsyncMedian: +r.toFixed(3), quintetMedian: +q.toFixed(3), ratio: +(q / r).toFixed(2) }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
