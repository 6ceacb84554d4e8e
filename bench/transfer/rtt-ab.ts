/**
 * Quintet CLI ↔ CLI variants over one WAN-like path (bench/transfer/wan-path.ts), in alternating rounds: which lane
 * policy or knob moves the time at a round trip, with each run's link-queue and UDP receive-buffer drops. No Syncthing,
 * no raw channel (bench/transfer/rtt.ts has them); for A/B reading, ratios within one run.
 *
 *   npx tsx bench/transfer/rtt-ab.ts --rtt 40 --rate-mbit 100 --runs 2 --variant one:QUINTET_TEST_LANES=0 --variant adaptive:
 * (a variant: `name:VAR=value,VAR=value`, each variable to both members; `name@<checkout>:…` runs that checkout's
 * cli/quintet.cjs, a build to compare against, as bench/transfer/cli-ab.ts does). QUINTET_CONNECTION_RATE_BURST in this
 * process's environment goes to its signaling server (lanes opened at once send many signals).
 */
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCorpusToDisk } from '../inventory/corpus.ts';
import { readConfig } from '../../signaling/config.ts';
import { startNodeServer } from '../../signaling/node-server.ts';
import { log } from '../shared/run-clock.ts';
import { mixedCorpus } from './corpus.ts';
import { cliMirror } from './cli-mirror.ts';
import { sameTree } from './verify.ts';
import { turnPath } from './wan-path.ts';
import { median } from './rtt-raw.ts';
import { binOf } from '../../cli/cli-process.ts';

const { values: flags } = parseArgs({
  options: {
    rtt: { type: 'string', default: '40' },
    'rate-mbit': { type: 'string', default: '100' },
    'queue-kib': { type: 'string' },
    runs: { type: 'string', default: '2' },
    variant: { type: 'string', multiple: true, default: ['one:QUINTET_TEST_LANES=0', 'adaptive:'] },
    large: { type: 'string', default: '1' },
    'large-mib': { type: 'string', default: '96' },
    medium: { type: 'string', default: '8' },
    small: { type: 'string', default: '1000' },
    timeline: { type: 'boolean', default: false },
  },
});
const rtt = Number(flags.rtt);
const rateMbit = Number(flags['rate-mbit']);
const variants = flags.variant.map((v) => {
  const [head, vars = ''] = v.split(/:(.*)/s);
  const [name, checkout] = head!.split('@');
  return { name: name!, bin: checkout ? binOf(checkout) : undefined, env: Object.fromEntries(vars.split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string])) };
});
async function udpDrops(): Promise<number> {
  const lines = (await readFile('/proc/net/snmp', 'utf8')).split('\n').filter((l) => l.startsWith('Udp:'));
  const [names, values] = lines.map((l) => l.split(/\s+/));
  return Number(values?.[names?.indexOf('RcvbufErrors') ?? -1] ?? NaN);
}

/** The receiver's pid: the `quintet … join` process writing into `target` (null before it starts). */
async function receiverPid(target: string): Promise<number | null> {
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (/quintet\.(c|m)js/.test(cmd) && cmd.includes('\0join\0') && cmd.includes(target)) return Number(pid);
  }
  return null;
}
const wchar = async (pid: number) => Number(/wchar: (\d+)/.exec(await readFile(`/proc/${pid}/io`, 'utf8').catch(() => ''))?.[1] ?? NaN);

/** Every 500 ms: MB the receiver wrote, link-queue and receive-buffer drops in that interval, as one line per second pair. */
function timeline(target: string): () => string {
  const rows: string[] = [];
  let pid: number | null = null;
  let last: [number, number, number] | null = null;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    pid ??= await receiverPid(target);
    if (pid !== null) {
      const now: [number, number, number] = [await wchar(pid), await path.dropped(), await udpDrops()];
      if (last && Number.isFinite(now[0])) rows.push(`${((now[0] - last[0]) / 1e6 / 0.5).toFixed(1)}/${now[1] - last[1]}/${now[2] - last[2]}`);
      last = now;
    }
    setTimeout(() => void tick(), 500);
  };
  void tick();
  return () => ((stopped = true), rows.join(' '));
}

const work = await mkdtemp(join(tmpdir(), 'quintet-bench-rtt-ab-'));
const corpus = mixedCorpus({ large: Number(flags.large), largeMiB: Number(flags['large-mib']), medium: Number(flags.medium), small: Number(flags.small) });
const source = join(work, 'a');
const target = join(work, 'b');
await writeCorpusToDisk(source, corpus);
const queueBytes = flags['queue-kib'] !== undefined ? Number(flags['queue-kib']) << 10 : Math.max(64 << 10, Math.round((rateMbit * 1e6) / 8 * (rtt / 1000)));
const link = rateMbit > 0 ? { rateMbit, queueBytes } : null;
const path = await turnPath(rtt, link);
const signaling = await startNodeServer({ config: readConfig({ QUINTET_TURN_URLS: path.url, QUINTET_TURN_SECRET: path.secret, ...(process.env.QUINTET_CONNECTION_RATE_BURST ? { QUINTET_CONNECTION_RATE_BURST: process.env.QUINTET_CONNECTION_RATE_BURST } : {}) }), port: 0, staticRoot: null });
const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
try {
  for (let round = 0; round < Number(flags.runs); round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
    for (const v of order) {
      await mkdir(target, { recursive: true });
      const [q0, u0] = [await path.dropped(), await udpDrops()];
      const stop = flags.timeline ? timeline(target) : () => '';
      const run = await cliMirror(source, target, signaling.url, { QUINTET_ICE_TRANSPORT_POLICY: 'relay', QUINTET_DEBUG_LANES: '1', ...v.env }, { channelStats: true, ...(v.bin ? { bin: v.bin } : {}) })
        .then(async (r) => (await sameTree(source, target, ['.quintet']), r))
        .catch((error: unknown) => `failed (${String(error).split('\n')[0]})`);
      const [q1, u1] = [await path.dropped(), await udpDrops()];
      const line = stop();
      if (line) log(`${v.name} timeline (MB/s written / queue drops / rcvbuf drops, per 0.5 s): ${line}`);
      await rm(join(source, '.quintet'), { recursive: true, force: true });
      await rm(target, { recursive: true, force: true });
      if (typeof run === 'string') log(`${v.name}: ${run}`);
      else {
        times.get(v.name)!.push(run.seconds);
        for (const e of run.laneEvents ?? []) log(`${v.name}: ${e}`);
        log(`${v.name}: ${run.seconds.toFixed(2)} s (${(corpus.bytes / run.seconds / 1e6).toFixed(1)} MB/s), queue drops ${q1 - q0}, rcvbuf drops ${u1 - u0}, lanes ${JSON.stringify(run.lanes)}, cpu ${run.cpu.map((c) => c.toFixed(1)).join(' + ')} s`);
      }
    }
  }
  for (const [name, t] of times) log(`${name}: median ${t.length ? median(t).toFixed(2) : '—'} s of ${t.map((x) => x.toFixed(2)).join(', ')}`);
} finally {
  await signaling.close();
  await path.stop();
  await rm(work, { recursive: true, force: true });
}
process.exit();
