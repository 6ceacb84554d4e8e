/**
 * Compressed blocks (issue 16, `block-deflate`) CLI ↔ CLI on loopback: a text corpus's wire bytes against its size,
 * with compression and with the receiver playing a member from before it (QUINTET_TEST_FEATURES: blocks go plain),
 * and the random corpus's time both ways, alternated in the same run (incompressible blocks must pay nothing).
 * Wire bytes are what the receiver's data channels received (getStats' `data-channel` reports, sealed frames) from
 * start-sync to its result. Writes the "## Transfer: compressed blocks" section of bench/README.md.
 *
 * With `--browser`, a second text corpus (`--browser-mib`, other seed) goes browser ↔ browser between two Chromium
 * pages too (wire bytes: B's page's getStats), compressed only (a page announces every addition it has).
 *
 *   npx tsx bench/transfer/text.ts [--text-mib 64] [--random-mib 64] [--rounds 2] [--browser [--browser-mib 16] [--no-build]] [--no-readme]
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readConfig } from '../../signaling/config.ts';
import { startNodeServer } from '../../signaling/node-server.ts';
import { writeCorpusToDisk, type Corpus } from '../inventory/corpus.ts';
import { writeSection } from '../shared/readme-section.ts';
import { mixedCorpus } from './corpus.ts';
import { textCorpus } from './text-corpus.ts';
import { cliMirror, type CliRun } from './cli-mirror.ts';
import { hashTree, sameTree } from './verify.ts';
import { writeTree } from '../../e2e/support/opfs-tree.ts';
import { freePort } from '../../e2e/support/free-port.ts';
import { build, serve } from '../inventory/app.ts';
import { launchPages } from './browser.ts';
import { quintetMirror, type QuintetRun } from './quintet.ts';
import { provenance } from './provenance.ts';

const { values } = parseArgs({
  options: {
    'text-mib': { type: 'string', default: '64' },
    'random-mib': { type: 'string', default: '64' },
    rounds: { type: 'string', default: '2' },
    browser: { type: 'boolean', default: false },
    'browser-mib': { type: 'string', default: '16' },
    'no-build': { type: 'boolean', default: false },
    'no-readme': { type: 'boolean', default: false },
  },
});
const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** What a member from before block-deflate announces: the receiver then gets every block as it is. */
const WITHOUT = { QUINTET_TEST_FEATURES: 'inventory-modes,inventory-delta' };
const load = () => loadavg().map((l) => l.toFixed(1)).join(' / ');
const started = new Date();
const loadBefore = load();
const text = textCorpus(Number(values['text-mib']));
const random: Corpus = { ...mixedCorpus({ large: 1, largeMiB: Number(values['random-mib']), medium: 2, small: 400 }), name: 'bench-random' };

interface Row {
  corpus: Corpus;
  compressed: boolean;
  run: CliRun;
}

const work = await mkdtemp(join(tmpdir(), 'quintet-bench-text-'));
const server = await startNodeServer({ config: readConfig({}), port: 0, staticRoot: null });
const rows: Row[] = [];

/** One CLI ↔ CLI mirror of `source` into a fresh folder, checked file by file, with the receiver's wire bytes. */
async function mirror(source: string, corpus: Corpus, compressed: boolean): Promise<CliRun> {
  const target = join(work, `${corpus.name}-b`);
  await mkdir(target, { recursive: true });
  const run = await cliMirror(source, target, server.url, {}, { channelStats: true, memberEnv: compressed ? {} : WITHOUT });
  await sameTree(source, target, ['.quintet']);
  await rm(target, { recursive: true, force: true });
  console.log(`${corpus.name} ${compressed ? 'compressed' : 'plain     '}: ${run.seconds.toFixed(2)} s, wire ${run.wireBytes} B = ${(run.wireBytes! / corpus.bytes).toFixed(3)}× its size, CPU sender ${run.cpu[0].toFixed(1)} s, receiver ${run.cpu[1].toFixed(1)} s; B matches A file by file`);
  return run;
}
let browserRow: { corpus: Corpus; run: QuintetRun } | null = null;

/** Browser ↔ browser: Mirror A1 → B1 of a text corpus between two pages of a fresh build, checked file by file. */
async function browserText(): Promise<{ corpus: Corpus; run: QuintetRun }> {
  const corpus = textCorpus(Number(values['browser-mib']), 2);
  const disk = join(work, 'browser-text');
  await writeCorpusToDisk(disk, corpus);
  const expected = await hashTree(disk);
  await rm(disk, { recursive: true, force: true });
  if (!values['no-build']) build(repo);
  const port = await freePort();
  const stop = await serve(repo, port);
  const pages = await launchPages(join(work, 'profile'), port);
  try {
    const run = await quintetMirror(pages.a, pages.b, pages.urls, corpus.name, `${corpus.name}-b1`, expected, () => writeTree(pages.a, corpus.name, corpus.spec), 600_000);
    console.log(`browser ↔ browser text: ${run.seconds.toFixed(2)} s, wire ${run.channelBytes} B = ${(run.channelBytes / corpus.bytes).toFixed(3)}× its size; B1 matches A1 file by file`);
    // The sender compresses in its block worker (adapters/browser/worker-block-codec.ts), else in the page (it warns).
    console.log(`A's workers: ${pages.a.workers().map((w) => w.url().split('/').pop()).join(', ')}`);
    return { corpus, run };
  } finally {
    await pages.context.close().catch(() => undefined);
    stop();
  }
}
try {
  for (const corpus of [text, random]) {
    const source = join(work, corpus.name);
    await writeCorpusToDisk(source, corpus);
    console.log(`${corpus.name}: ${corpus.files} files, ${corpus.bytes} B`);
    const rounds = corpus === text ? 1 : Number(values.rounds);
    // One mirror first, not counted: the first run after writing the corpus paid for the disk and the caches.
    await mirror(source, corpus, false);
    for (let round = 0; round < rounds; round++) {
      // Alternated in ABBA order (with, without, without, with …): the machine's load and a first run's cold start move both alike.
      for (const compressed of round % 2 === 0 ? [true, false] : [false, true]) rows.push({ corpus, compressed, run: await mirror(source, corpus, compressed) });
    }
    await rm(source, { recursive: true, force: true });
  }
  if (values.browser) browserRow = await browserText();
} finally {
  server.close();
  await rm(work, { recursive: true, force: true });
}

const mb = (bytes: number, seconds: number) => (bytes / 1e6 / seconds).toFixed(1);
const table = [
  '| Corpus | Blocks | Files | Size | Wire bytes (receiver) | Wire / size | Time | MB/s of files | CPU sender + receiver |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(({ corpus, compressed, run }) =>
    `| ${corpus === text ? 'text' : 'random (mixed)'} | ${compressed ? 'compressed' : 'plain (receiver without block-deflate)'} | ${corpus.files.toLocaleString('en-US')} | ` +
    `${(corpus.bytes / 2 ** 20).toFixed(1)} MiB | ${run.wireBytes!.toLocaleString('en-US')} | ${(run.wireBytes! / corpus.bytes).toFixed(3)}× | ${run.seconds.toFixed(2)} s | ` +
    `${mb(corpus.bytes, run.seconds)} | ${run.cpu[0].toFixed(1)} + ${run.cpu[1].toFixed(1)} s |`),
  ...(browserRow
    ? [`| text, browser ↔ browser | compressed | ${browserRow.corpus.files.toLocaleString('en-US')} | ${(browserRow.corpus.bytes / 2 ** 20).toFixed(1)} MiB | ` +
      `${browserRow.run.channelBytes.toLocaleString('en-US')} | ${(browserRow.run.channelBytes / browserRow.corpus.bytes).toFixed(3)}× | ${browserRow.run.seconds.toFixed(2)} s | ` +
      `${mb(browserRow.corpus.bytes, browserRow.run.seconds)} | — |`]
    : []),
].join('\n');
const textRow = rows.find((r) => r.corpus === text && r.compressed)!;
const ratio = textRow.run.wireBytes! / text.bytes;
const browserRatio = browserRow ? browserRow.run.channelBytes / browserRow.corpus.bytes : null;
const randomTimes = (compressed: boolean) => rows.filter((r) => r.corpus === random && r.compressed === compressed).map((r) => r.run.seconds);
const median = (xs: number[]) => {
  const sorted = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const randomRatio = median(randomTimes(true)) / median(randomTimes(false));
const { commit, dirty } = provenance(repo);
const chromium = browserRow ? ' (browser ↔ browser: Debian Chromium, two pages of one profile, a fresh `vite build`)' : '';
const body = [
  `Run on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, commit ${commit}${dirty ? ` (uncommitted: ${dirty})` : ''}; ` +
    `load average (1/5/15 min) ${loadBefore} before, ${load()} after. Command: \`npx tsx bench/transfer/text.ts --text-mib ${values['text-mib']} --random-mib ${values['random-mib']} --rounds ${values.rounds}${values.browser ? ` --browser --browser-mib ${values['browser-mib']}` : ''}\`${chromium}.`,
  '',
  'Two `quintet` processes mirror A1 → B1 on loopback (CLI ↔ CLI). "Compressed": both announce `block-deflate`; "plain": the receiver announces ' +
    'only the additions from before it (`QUINTET_TEST_FEATURES`), so the owner sends every block as it is. Wire bytes: what the receiver\'s data ' +
    'channels received from start-sync to its result (sealed frames and every message, as getStats counts them). The text corpus is service logs, ' +
    'CSV exports and small notes, generated from a seed (bench/transfer/text-corpus.ts); the random corpus is the transfer corpus in small. ' +
    'Each corpus is mirrored once first, not counted (the first run after writing it pays for the disk), then in ABBA order.',
  '',
  table,
  '',
  `**Target: text corpus ≤ 0.5× its size on the wire: ${ratio <= 0.5 && (browserRatio ?? 0) <= 0.5 ? 'met' : 'NOT met'}** (CLI ↔ CLI ${ratio.toFixed(3)}×` +
    `${browserRatio !== null ? `, browser ↔ browser ${browserRatio.toFixed(3)}×` : ''}). ` +
    `Random corpus, compressed against plain: ${randomRatio.toFixed(2)}× the time, median against median (${randomTimes(true).map((s) => s.toFixed(2)).join(', ')} s against ` +
    `${randomTimes(false).map((s) => s.toFixed(2)).join(', ')} s; its blocks fail the cheap test and travel as they are).`,
].join('\n');
console.log(`\n${body}\n`);
if (!values['no-readme']) await writeSection(join(repo, 'bench/README.md'), 'Transfer: compressed blocks', body);
process.exit(0);
