/**
 * A probe of CLI ↔ CLI beside the Node stack's raw rate (bench/transfer/node-raw.ts), for working on the headless
 * member's transfer: prints the figures and each member's CPU, writes nothing (`npm run bench:transfer` measures it
 * with the rest, in one run, for the README). Run: `npx tsx bench/transfer/cli.ts [--quick] [--large N] [--medium N]
 * [--small N] [--prof <dir>] [--perf <file>] [--no-fsync]` (--no-fsync: both members run with it; --quick: a ~100 MiB corpus; --prof: a CPU profile of each member in <dir>;
 * --perf: `perf record` of both members over the mirror, every thread). Prints the CPU of every thread of both runs and
 * the CPU per byte of the raw run over that of CLI ↔ CLI. The corpus and both folders go under TMPDIR (os.tmpdir()): on a
 * file system that makes new files slow after many deletions (ext4 without a journal, as this machine's /tmp), point
 * TMPDIR at another (bench/README.md, "Transfer", 2026-11-30).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../../signaling/config.ts';
import { startNodeServer } from '../../signaling/node-server.ts';
import { writeCorpusToDisk } from '../inventory/corpus.ts';
import { DEFAULT_MIXED, mixedCorpus } from './corpus.ts';
import { nodeRawRate } from './node-raw.ts';
import { NODE_WEBRTC_STACK } from '../../adapters/node/simple-peer-node.ts';
import { cliMirror } from './cli-mirror.ts';
import { sameTree } from './verify.ts';
import { formatThreads } from '../shared/thread-cpu.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    prof: { type: 'string' },
    perf: { type: 'string' },
    large: { type: 'string' },
    medium: { type: 'string' },
    small: { type: 'string' },
    'no-fsync': { type: 'boolean', default: false },
  },
});
const base = values.quick ? { large: 1, largeMiB: 64, medium: 2, small: 400 } : DEFAULT_MIXED;
const counts = Object.entries({ large: values.large, medium: values.medium, small: values.small }).flatMap(([k, v]) => (v === undefined ? [] : [[k, Number(v)]]));
const corpus = mixedCorpus({ ...base, ...Object.fromEntries(counts) });
/** `--prof <dir>`: each member writes a V8 CPU profile there (bench/shared/cpu-profile.mjs), to see where the time goes. */
const prof: Record<string, string> = values.prof
  ? { NODE_OPTIONS: `--import=${new URL('../shared/cpu-profile.mjs', import.meta.url).href}`, QUINTET_CPU_PROFILE_DIR: values.prof }
  : {};
const work = await mkdtemp(join(tmpdir(), 'quintet-bench-cli-'));
try {
  const [a, b] = [join(work, 'a'), join(work, 'b')];
  await writeCorpusToDisk(a, corpus);
  await mkdir(b, { recursive: true });
  console.log(`corpus: ${corpus.files} files, ${(corpus.bytes / 2 ** 20).toFixed(0)} MiB`);
  const raw = await nodeRawRate(256 << 20);
  console.log(`node raw (${NODE_WEBRTC_STACK}): ${raw.mbPerSecond.toFixed(1)} MB/s`);
  raw.threads.forEach((t, i) => console.log(`  raw CPU by thread, ${i ? 'receiver' : 'sender'}: ${formatThreads(t)}`));
  const server = await startNodeServer({ config: readConfig({}), port: 0, staticRoot: null });
  const perf: Record<string, string> = values.perf ? { NODE_OPTIONS: '--perf-basic-prof' } : {};
  const run = await cliMirror(a, b, server.url, { ...prof, ...perf }, { ...(values.perf ? { perfOut: values.perf } : {}), ...(values['no-fsync'] ? { args: ['--no-fsync'] } : {}) }).finally(() => server.close());
  await sameTree(a, b, ['.quintet']);
  const rate = corpus.bytes / 1e6 / run.seconds;
  console.log(`CLI ↔ CLI mirror: ${run.seconds.toFixed(1)} s, ${rate.toFixed(1)} MB/s, ${(rate / raw.mbPerSecond).toFixed(2)}× node raw; every file's SHA-256 equal`);
  console.log(`CPU during the mirror: sender ${run.cpu[0].toFixed(1)} s, receiver ${run.cpu[1].toFixed(1)} s (all threads)`);
  run.threads.forEach((t, i) => console.log(`  CPU by thread, ${i ? 'receiver' : 'sender'}: ${formatThreads(t)}`));
  // CPU per byte, raw over CLI: what the rate ratio tends to when both runs are pinned to one core (`taskset -c 1`) and
  // nothing else runs there; on a loaded machine it is steadier than the rate ratio, which other work moves.
  const cpuOf = (threads: [string, number][][]) => threads.flat().reduce((sum, [, s]) => sum + s, 0);
  const [rawCpu, cliCpu] = [cpuOf(raw.threads), cpuOf(run.threads)];
  console.log(`CPU per MiB: raw ${((rawCpu / raw.bytes) * 2 ** 20 * 1000).toFixed(2)} ms, CLI ↔ CLI ${((cliCpu / corpus.bytes) * 2 ** 20 * 1000).toFixed(2)} ms; raw / CLI ${((rawCpu / raw.bytes) / (cliCpu / corpus.bytes)).toFixed(2)}×`);
} finally {
  await rm(work, { recursive: true, force: true });
}
process.exit(0);
