/**
 * One large file (or the mixed corpus) browser ↔ browser, this build against another, on a shared machine: rounds of (raw data channel,
 * Quintet one file) per build, the builds' order swapped each round, each Quintet run held against the raw run just
 * before it in the same pages. Prints every run and the medians; writes nothing. Run:
 * `npx tsx bench/transfer/file-ab.ts [--against <checkout with its own dist/>] [--runs 3] [--file-mib 128] [--raw-mib 128] [--no-build] [--profile [--js]]
 * [--corpus [--large N] [--large-mib N] [--medium N] [--small N]]`
 * (the other checkout: `git worktree add <dir> <commit>` and `npx vite build` there).
 */
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TreeSpec } from '../../e2e/support/opfs-tree.ts';
import { writeTree } from '../../e2e/support/opfs-tree.ts';
import { freePort } from '../../e2e/support/free-port.ts';
import { writeCorpusToDisk, type Corpus } from '../inventory/corpus.ts';
import { build, serve } from '../inventory/app.ts';
import { launchPages } from './browser.ts';
import { rawThroughput } from './rtc.ts';
import { quintetMirror } from './quintet.ts';
import { hashTree } from './verify.ts';
import { log } from '../shared/run-clock.ts';
import { DEFAULT_MIXED, mixedCorpus } from './corpus.ts';
import { startProbe } from './probe.ts';

const { values: flags } = parseArgs({
  options: {
    against: { type: 'string' },
    runs: { type: 'string', default: '3' },
    'file-mib': { type: 'string', default: '128' },
    'raw-mib': { type: 'string', default: '128' },
    'no-build': { type: 'boolean', default: false },
    /** Per-thread CPU of every Chromium process over the raw run and the synchronization, and both pages' JS profiles. */
    profile: { type: 'boolean', default: false },
    /** With --profile: both pages' JS profiles too (the profiler costs the renderers some CPU). */
    js: { type: 'boolean', default: false },
    /** The mixed corpus (bench/transfer/corpus.ts) instead of one file, its counts overridable. */
    corpus: { type: 'boolean', default: false },
    large: { type: 'string' },
    'large-mib': { type: 'string' },
    medium: { type: 'string' },
    small: { type: 'string' },
  },
});
const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const work = join(repo, 'bench/.work-file-ab');
const mib = Number(flags['file-mib']);
const counts = Object.entries({ large: flags.large, largeMiB: flags['large-mib'], medium: flags.medium, small: flags.small }).flatMap(([k, v]) => (v === undefined ? [] : [[k, Number(v)]]));
const single: Corpus = flags.corpus
  ? mixedCorpus({ ...DEFAULT_MIXED, ...Object.fromEntries(counts) })
  : { name: 'bench-file', spec: { 'one.bin': { size: mib << 20, seed: 7 } } as TreeSpec, files: 1, bytes: mib << 20 };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });
await writeCorpusToDisk(join(work, 'disk'), single);
const expected = await hashTree(join(work, 'disk'));
await rm(join(work, 'disk'), { recursive: true, force: true });

if (!flags['no-build']) build(repo);
const builds: { name: string; dir: string; port: number; stop?: () => void; ratios: number[]; rates: number[] }[] = [{ name: 'this', dir: repo, port: await freePort(), ratios: [], rates: [] }];
if (flags.against) builds.push({ name: 'against', dir: resolve(flags.against), port: await freePort(), ratios: [], rates: [] });
try {
  for (const b of builds) b.stop = await serve(b.dir, b.port);
  for (let round = 0; round < Number(flags.runs); round++) {
    const order = round % 2 === 0 ? builds : [...builds].reverse();
    for (const b of order) {
      const pages = await launchPages(join(work, `profile-${b.name}-${round}`), b.port);
      try {
        const rawProbe = flags.profile ? await startProbe(pages.context, [pages.a, pages.b], false) : null;
        const raw = await rawThroughput(pages.a, pages.b, 256 << 10, 1 << 20, Number(flags['raw-mib']) << 20, 1);
        if (rawProbe) log(`raw run's CPU:\n  ${(await rawProbe()).join('\n  ')}`);
        const rawRate = raw.bytes / 1e6 / raw.seconds;
        const around = flags.profile
          ? async () => {
              const stop = await startProbe(pages.context, [pages.a, pages.b], flags.js);
              return async () => log(`Quintet's CPU:\n  ${(await stop()).join('\n  ')}`);
            }
          : undefined;
        const run = await quintetMirror(pages.a, pages.b, pages.urls, single.name, `${single.name}-b1`, expected, () => writeTree(pages.a, single.name, single.spec), 600_000, around);
        const rate = single.bytes / 1e6 / run.seconds;
        b.ratios.push(rate / rawRate);
        b.rates.push(rate);
        log(`round ${round + 1}, ${b.name}: raw ${rawRate.toFixed(1)} MB/s; Quintet ${run.seconds.toFixed(2)} s, ${rate.toFixed(1)} MB/s, ${(rate / rawRate).toFixed(2)}× raw`);
      } finally {
        await pages.context.close().catch(() => undefined);
      }
    }
  }
  for (const b of builds) log(`${b.name} (${b.dir}): median ${median(b.rates).toFixed(1)} MB/s, ${median(b.ratios).toFixed(2)}× the raw run beside it`);
} finally {
  for (const b of builds) b.stop?.();
  await rm(work, { recursive: true, force: true });
}
