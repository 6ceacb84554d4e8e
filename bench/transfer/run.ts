/**
 * Transfer benchmark (on demand, not part of `npm test`), one run on loopback: raw RTCDataChannel throughput between two
 * Chromium pages and the Node WebRTC stack's raw rate between two processes; Quintet's E2EE transfer between the pages;
 * a full sync of a ~1 GiB mixed corpus by two Syncthing instances, by two `quintet` processes (CLI ↔ CLI), by the two
 * pages, and from a page to a `quintet` process (browser → CLI). Writes the "## Transfer" section of bench/README.md.
 *
 *   npm run bench:transfer -- [--raw-mib 256] [--file-mib 512] [--large 3] [--large-mib 256] [--medium 16] [--small 4000]
 *                             [--deadline 1500] [--no-build] [--no-readme]
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeTree, type TreeSpec } from '../../e2e/support/opfs-tree.ts';
import { writeCorpusToDisk, type Corpus } from '../inventory/corpus.ts';
import { build, serve } from '../inventory/app.ts';
import { freePort } from '../../e2e/support/free-port.ts';
import { launchPages, type Pages } from './browser.ts';
import { mixedCorpus } from './corpus.ts';
import { rawThroughput, type RawRun } from './rtc.ts';
import { syncthingSync, type SyncthingRun } from './syncthing.ts';
import { quintetMirror, NotAvailable, type QuintetRun } from './quintet.ts';
import { hashTree, sameTree } from './verify.ts';
import { describeRun } from './readme.ts';
import { provenance } from './provenance.ts';
import { table } from './report.ts';
import { writeSection } from '../shared/readme-section.ts';
import { rows } from './rows.ts';
import { deadline, log, runMeasures } from '../shared/run-clock.ts';
import { readConfig } from '../../signaling/config.ts';
import { startNodeServer } from '../../signaling/node-server.ts';
import { nodeRawRate, type NodeRawRun } from './node-raw.ts';
import { cliMirror, type CliRun } from './cli-mirror.ts';
import { browserToCli } from './browser-cli.ts';

const { values: flags } = parseArgs({
  options: {
    'raw-mib': { type: 'string', default: '256' },
    'file-mib': { type: 'string', default: '512' },
    large: { type: 'string', default: '3' },
    'large-mib': { type: 'string', default: '256' },
    medium: { type: 'string', default: '16' },
    small: { type: 'string', default: '4000' },
    deadline: { type: 'string', default: '1500' },
    'no-build': { type: 'boolean', default: false },
    'no-readme': { type: 'boolean', default: false },
  },
});
const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const work = join(repo, 'bench/.work');
const STEP_TIMEOUT = 600_000;
/** [message bytes, in-flight bytes per channel, channels]: the 2 × 2 of the brief, then two channels in parallel. */
const RAW_COMBOS: [number, number, number][] = [[64 << 10, 1 << 20, 1], [64 << 10, 4 << 20, 1], [256 << 10, 1 << 20, 1], [256 << 10, 4 << 20, 1], [256 << 10, 4 << 20, 2]];

let pages: Pages | null = null;
let stopServer: (() => void) | null = null;
async function cleanup(): Promise<void> {
  await pages?.context.close().catch(() => undefined);
  pages = null;
  stopServer?.();
  stopServer = null;
  await rm(work, { recursive: true, force: true });
}
const stopDeadline = deadline(Number(flags.deadline), cleanup);

/** Runs one Quintet measure; a missing feature or a failure becomes the reason it was not measured. */
async function quintet(label: string, source: string, corpus: Corpus, expected: Map<string, string>): Promise<QuintetRun | string> {
  const { a, b, urls } = pages!;
  try {
    const run = await quintetMirror(a, b, urls, source, `${source}-b1`, expected, () => writeTree(a, source, corpus.spec), STEP_TIMEOUT);
    log(`${label}: ${run.seconds.toFixed(2)} s, ${run.channelBytes} B received on B's data channels`);
    return run;
  } catch (error) {
    const reason = error instanceof NotAvailable ? error.message : `failed (${String(error).split('\n')[0]})`;
    log(`${label}: not measured, ${reason}`);
    return reason;
  }
}

await runMeasures(stopDeadline, cleanup, async () => {
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const corpus = mixedCorpus({ large: Number(flags.large), largeMiB: Number(flags['large-mib']), medium: Number(flags.medium), small: Number(flags.small) });
  const single: Corpus = { name: 'bench-file', spec: { 'one.bin': { size: Number(flags['file-mib']) << 20, seed: 7 } } as TreeSpec, files: 1, bytes: Number(flags['file-mib']) << 20 };

  // (b) Syncthing first, alone on the machine: disk copy of the corpus, A → B, checked file by file.
  const source = join(work, 'disk/a');
  const target = join(work, 'disk/b');
  await writeCorpusToDisk(source, corpus);
  await mkdir(target, { recursive: true });
  const expected = await hashTree(source);
  log(`corpus: ${corpus.files} files, ${corpus.bytes} B written to disk`);
  const syncthing: SyncthingRun = await syncthingSync(work, source, target, corpus.files, corpus.bytes, STEP_TIMEOUT);
  await sameTree(source, target, ['.stfolder', '.stversions']);
  log(`syncthing: scan ${syncthing.scanSeconds.toFixed(2)} s, sync ${syncthing.syncSeconds.toFixed(2)} s; B matches A file by file`);

  // (e) The Node stack's raw rate, before and after (f) CLI ↔ CLI on the same disk corpus (the machine is shared: the
  // ratio is taken against the faster of the two).
  await rm(join(source, '.stfolder'), { recursive: true, force: true }); // Syncthing's marker is not corpus
  const nodeRaw: NodeRawRun[] = [await nodeRawRate(256 << 20)];
  log(`node raw: ${nodeRaw[0]!.mbPerSecond.toFixed(1)} MB/s`);
  const cliTarget = join(work, 'disk/cli-b');
  await mkdir(cliTarget, { recursive: true });
  const signaling = await startNodeServer({ config: readConfig({}), port: 0, staticRoot: null });
  const cli: CliRun | string = await cliMirror(source, cliTarget, signaling.url)
    .then(async (run) => (await sameTree(source, cliTarget, ['.quintet']), run))
    .catch((error: unknown) => `failed (${String(error).split('\n')[0]})`)
    .finally(() => signaling.close());
  log(typeof cli === 'string' ? `CLI ↔ CLI: not measured, ${cli}` : `CLI ↔ CLI: ${cli.seconds.toFixed(2)} s (CPU: sender ${cli.cpu[0].toFixed(1)} s, receiver ${cli.cpu[1].toFixed(1)} s); B matches A file by file`);
  nodeRaw.push(await nodeRawRate(256 << 20));
  log(`node raw: ${nodeRaw[1]!.mbPerSecond.toFixed(1)} MB/s`);
  await rm(join(work, 'disk'), { recursive: true, force: true });
  const singleDir = join(work, 'disk/single');
  await writeCorpusToDisk(singleDir, single);
  const singleExpected = await hashTree(singleDir);
  await rm(join(work, 'disk'), { recursive: true, force: true });

  // (a) raw data channel, then (c) and (d), between the same two pages.
  if (!flags['no-build']) {
    log('vite build');
    build(repo);
  }
  const port = await freePort();
  stopServer = await serve(repo, port);
  pages = await launchPages(join(work, 'profile'), port);
  const raw: RawRun[] = [];
  for (const [message, inFlight, channels] of RAW_COMBOS) {
    const run = await rawThroughput(pages.a, pages.b, message, inFlight, Number(flags['raw-mib']) << 20, channels);
    log(`raw: ${channels} channel(s), ${message >> 10} KiB messages, ${inFlight >> 20} MiB in flight: ${(run.bytes / 1e6 / run.seconds).toFixed(1)} MB/s (${run.seconds.toFixed(2)} s)`);
    raw.push(run);
  }
  const file = await quintet('quintet, one file', single.name, single, singleExpected);
  const full = typeof file === 'string' && file.startsWith('the cloud page') ? file : await quintet('quintet, corpus', corpus.name, corpus, expected);

  // (g) browser → CLI: page A leads, a `quintet join` process holds B1 on disk; A1 is the corpus (d) left in A's OPFS.
  let toCli: QuintetRun | string;
  try {
    if (typeof full === 'string') await writeTree(pages.a, corpus.name, corpus.spec);
    toCli = await browserToCli(pages.a, pages.urls[0], `http://localhost:${port}`, corpus.name, expected, STEP_TIMEOUT);
    log(`browser → CLI: ${toCli.seconds.toFixed(2)} s, ${toCli.channelBytes} B sent on A's data channels`);
  } catch (error) {
    toCli = `failed (${String(error).split('\n')[0]})`;
    log(`browser → CLI: not measured, ${toCli}`);
  }

  const measures = { raw, file, full, syncthing, corpus, single, nodeRaw, cli, toCli };
  const result = table(rows(measures));
  console.log(`\n${result}\n`);
  const chromium = pages.context.browser()?.version() ?? execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim();
  if (!flags['no-readme']) {
    const wrtc = (JSON.parse(await readFile(join(repo, 'node_modules/@roamhq/wrtc/package.json'), 'utf8')) as { version: string }).version;
    await writeSection(join(repo, 'bench/README.md'), 'Transfer', describeRun({ result, chromium, wrtc, ...measures, ...provenance(repo) }));
    log('wrote the "## Transfer" section of bench/README.md');
  }
});
