/**
 * CLI ↔ CLI of this checkout against another build, on a shared machine: rounds of (Node raw, this build, Node raw, the
 * other build), the order of the two builds swapped each round, so a busy moment weighs on both and each CLI run has a
 * raw run beside it. Prints every run and the medians; writes nothing. Run:
 * `npx tsx bench/transfer/cli-ab.ts --against <checkout> [--runs 3] [--raw-mib 128] [--quick] [--large N] [--medium N] [--small N]`
 * (the other checkout needs its own bundle: `node scripts/build-cli.mjs` there; `git archive <commit>` makes one).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../../signaling/config.ts';
import { startNodeServer } from '../../signaling/node-server.ts';
import { writeCorpusToDisk } from '../inventory/corpus.ts';
import { DEFAULT_MIXED, mixedCorpus } from './corpus.ts';
import { nodeRawRate } from './node-raw.ts';
import { cliMirror } from './cli-mirror.ts';
import { sameTree } from './verify.ts';
import { ensureCliBundle } from '../local/cli.ts';
import { binOf } from '../../cli/cli-process.ts';

const { values } = parseArgs({
  options: {
    against: { type: 'string' },
    runs: { type: 'string', default: '3' },
    'raw-mib': { type: 'string', default: '128' },
    quick: { type: 'boolean', default: false },
    large: { type: 'string' },
    medium: { type: 'string' },
    small: { type: 'string' },
  },
});
if (!values.against) throw new Error('--against <checkout> is required');
const other = binOf(resolve(values.against));
const base = values.quick ? { large: 1, largeMiB: 64, medium: 2, small: 400 } : DEFAULT_MIXED;
const counts = Object.entries({ large: values.large, medium: values.medium, small: values.small }).flatMap(([k, v]) => (v === undefined ? [] : [[k, Number(v)]]));
const corpus = mixedCorpus({ ...base, ...Object.fromEntries(counts) });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

ensureCliBundle();
const work = await mkdtemp(join(tmpdir(), 'quintet-bench-cli-ab-'));
const runs: Record<'this' | 'other', Array<{ seconds: number; rate: number; raw: number; cpu: [number, number]; cpuRatio: number }>> = { this: [], other: [] };
/** CPU seconds of every thread of both processes of a run. */
const cpuOf = (threads: [string, number][][]) => threads.flat().reduce((sum, [, s]) => sum + s, 0);
try {
  const a = join(work, 'a');
  await writeCorpusToDisk(a, corpus);
  console.log(`corpus: ${corpus.files} files, ${(corpus.bytes / 2 ** 20).toFixed(0)} MiB; other build: ${other}`);
  const server = await startNodeServer({ config: readConfig({}), port: 0, staticRoot: null });
  try {
    for (let round = 0; round < Number(values.runs); round++) {
      for (const which of round % 2 === 0 ? (['this', 'other'] as const) : (['other', 'this'] as const)) {
        const raw = await nodeRawRate(Number(values['raw-mib']) << 20);
        const b = join(work, `b-${round}-${which}`);
        await mkdir(b, { recursive: true });
        const run = await cliMirror(a, b, server.url, {}, which === 'other' ? { bin: other } : {});
        await sameTree(a, b, ['.quintet']);
        await rm(b, { recursive: true, force: true });
        const rate = corpus.bytes / 1e6 / run.seconds;
        // CPU per byte, raw over CLI (bench/transfer/cli.ts): what the rate ratio tends to on one quiet core.
        const cpuRatio = cpuOf(raw.threads) / raw.bytes / (cpuOf(run.threads) / corpus.bytes);
        runs[which].push({ seconds: run.seconds, rate, raw: raw.mbPerSecond, cpu: run.cpu, cpuRatio });
        console.log(`round ${round + 1} ${which}: raw ${raw.mbPerSecond.toFixed(1)} MB/s; CLI ↔ CLI ${run.seconds.toFixed(1)} s, ${rate.toFixed(1)} MB/s, ${(rate / raw.mbPerSecond).toFixed(2)}× raw; CPU sender ${run.cpu[0].toFixed(1)} s, receiver ${run.cpu[1].toFixed(1)} s; CPU per byte raw / CLI ${cpuRatio.toFixed(2)}×`);
      }
    }
  } finally {
    server.close();
  }
  for (const which of ['this', 'other'] as const) {
    const r = runs[which];
    console.log(`${which}: median ${median(r.map((x) => x.seconds)).toFixed(1)} s, ratio to the raw run beside it median ${median(r.map((x) => x.rate / x.raw)).toFixed(2)}×, CPU median ${median(r.map((x) => x.cpu[0])).toFixed(1)} + ${median(r.map((x) => x.cpu[1])).toFixed(1)} s, CPU per byte raw / CLI median ${median(r.map((x) => x.cpuRatio)).toFixed(2)}×`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
process.exit(0);
