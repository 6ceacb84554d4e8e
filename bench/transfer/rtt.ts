/**
 * Transfer over round trips (issue 16, on demand): a WAN-like path built on loopback (bench/transfer/delay-relay.ts,
 * the kernel has no `netem`), then at each round trip: the Node stack's raw single channel and Quintet CLI ↔ CLI
 * through coturn with relay-only ICE behind a delaying UDP relay (bench/transfer/wan-path.ts), and Syncthing through a
 * delaying TCP proxy in front of each instance. 0 ms is the path with the relays but no delay (their own cost).
 * Writes the "## Transfer over round trips" section of bench/README.md.
 *
 *   npx tsx bench/transfer/rtt.ts [--rtt 0,20,40,80] [--raw-mib 32] [--raw-runs 3] [--large 1] [--large-mib 96] [--medium 8]
 *                                 [--small 1000] [--window-kib 4096] [--connections 4] [--deadline 2400]
 *                                 [--rate-mbit 0] [--queue-kib <one BDP>]
 *                                 [--no-readme]
 * (--connections N: the raw stream is also split over N peer connections, to see what striping could reach; 1: not;
 * --raw-runs N: the raw single channel runs N times per round trip, half before Quintet and the rest after, and their
 * median is the yardstick: one run that loses early on this lossy path crawls for its whole stream, bench/transfer/rtt-raw.ts)
 * Quintet runs twice per round trip: on one connection per pair (QUINTET_TEST_LANES=0, as before lanes) and as it
 * ships, adding lanes (core/mesh/lanes.ts) while its connection stays full on a path with a round trip;
 * `--lanes N` forces N lanes in that second run instead (QUINTET_TEST_LANES).
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeCorpusToDisk } from '../inventory/corpus.ts';
import { readConfig } from '../../signaling/config.ts';
import { startNodeServer } from '../../signaling/node-server.ts';
import { writeSection } from '../shared/readme-section.ts';
import { deadline, log, runMeasures } from '../shared/run-clock.ts';
import { mixedCorpus } from './corpus.ts';
import { nodeRawRate } from './node-raw.ts';
import { cliMirror, type CliRun } from './cli-mirror.ts';
import { syncthingSync } from './syncthing.ts';
import { sameTree } from './verify.ts';
import { startRelays } from './delay-relay.ts';
import { turnPath } from './wan-path.ts';
import { provenance } from './provenance.ts';
import { rttSection, type RttRow } from './rtt-readme.ts';

const { values: flags } = parseArgs({
  options: {
    rtt: { type: 'string', default: '0,20,40,80' },
    'raw-mib': { type: 'string', default: '32' },
    'raw-runs': { type: 'string', default: '3' },
    large: { type: 'string', default: '1' },
    'large-mib': { type: 'string', default: '96' },
    medium: { type: 'string', default: '8' },
    small: { type: 'string', default: '1000' },
    'window-kib': { type: 'string', default: '4096' },
    'rate-mbit': { type: 'string', default: '0' },
    'queue-kib': { type: 'string' },
    connections: { type: 'string', default: '4' },
    lanes: { type: 'string', default: 'adaptive' },
    deadline: { type: 'string', default: '2400' },
    'no-readme': { type: 'boolean', default: false },
  },
});
const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const work = await mkdtemp(join(tmpdir(), 'quintet-bench-rtt-')); // its own: another run beside it must not remove this one's corpus
const STEP_TIMEOUT = 900_000;
const rtts = flags.rtt.split(',').map(Number);
if (rtts.some((r) => !Number.isFinite(r) || r < 0)) throw new Error(`--rtt: round trips in ms, comma-separated (got ${flags.rtt})`);
const windowBytes = Number(flags['window-kib']) << 10;
const rawRuns = Number(flags['raw-runs']);
if (!Number.isInteger(rawRuns) || rawRuns < 1) throw new Error(`--raw-runs: a count from 1 (got ${flags['raw-runs']})`);
/**
 * `--rate-mbit N`: each direction of the path is a link of N Mbit/s (0: unpaced, bursts at loopback speed), whose
 * drop-tail queue holds `--queue-kib` (default: one bandwidth-delay product at that round trip, at least 64 KiB).
 */
const rateMbit = Number(flags['rate-mbit']);
if (!Number.isFinite(rateMbit) || rateMbit < 0) throw new Error(`--rate-mbit: a link rate in Mbit/s (got ${flags['rate-mbit']})`);
const linkAt = (rttMs: number) => {
  if (rateMbit === 0) return null;
  const queueBytes = flags['queue-kib'] !== undefined ? Number(flags['queue-kib']) << 10 : Math.max(64 << 10, Math.round((rateMbit * 1e6) / 8 * (rttMs / 1000)));
  return { rateMbit, queueBytes };
};
const stops: (() => unknown)[] = [];
async function cleanup(): Promise<void> {
  for (const stop of stops.splice(0).reverse()) await stop();
  await rm(work, { recursive: true, force: true });
}
const stopDeadline = deadline(Number(flags.deadline), cleanup);

/** UDP datagrams the machine dropped for a full receive buffer so far (/proc/net/snmp, every process). */
async function udpDrops(): Promise<number> {
  const lines = (await readFile('/proc/net/snmp', 'utf8')).split('\n').filter((l) => l.startsWith('Udp:'));
  const [names, values] = lines.map((l) => l.split(/\s+/));
  return Number(values?.[names?.indexOf('RcvbufErrors') ?? -1] ?? NaN);
}

/** Median of 5 one-byte echoes through a delay proxy built as Syncthing's (the round trip its TCP sees). */
async function tcpPing(rttMs: number): Promise<number> {
  const echo = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  const relay = await startRelays({ delayMs: rttMs / 2, tcp: [(echo.address() as net.AddressInfo).port], windowBytes, rateMbit });
  const socket = net.connect(relay.tcp[0]!, '127.0.0.1');
  try {
    await new Promise((r) => socket.once('connect', r));
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await new Promise((r) => (socket.once('data', r), socket.write('x')));
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[2]!;
  } finally {
    socket.destroy();
    relay.stop();
    echo.close();
  }
}

/** One round trip: raw channel and CLI ↔ CLI over the delayed TURN path, then Syncthing over the delayed TCP. */
async function measure(rttMs: number, source: string, files: number, bytes: number): Promise<RttRow> {
  const path = await turnPath(rttMs, linkAt(rttMs));
  stops.push(() => path.stop());
  const drops0 = await udpDrops();
  const queue0 = await path.dropped();
  const rawRun = async () => {
    const run = await nodeRawRate(Number(flags['raw-mib']) << 20, undefined, await path.ice());
    log(`${rttMs} ms: raw channel ${run.mbPerSecond.toFixed(1)} MB/s, ping over it ${run.pingMs.toFixed(1)} ms`);
    return run;
  };
  const raw = [];
  for (let i = 0; i < Math.ceil(rawRuns / 2); i++) raw.push(await rawRun());
  const connections = Number(flags.connections);
  const striped = connections > 1 ? await nodeRawRate(Number(flags['raw-mib']) << 20, undefined, await path.ice(), connections) : null;
  if (striped) log(`${rttMs} ms: raw over ${connections} peer connections ${striped.mbPerSecond.toFixed(1)} MB/s`);
  const target = join(work, `cli-${rttMs}`);
  await mkdir(target, { recursive: true });
  const signaling = await startNodeServer({ config: readConfig({ QUINTET_TURN_URLS: path.url, QUINTET_TURN_SECRET: path.secret }), port: 0, staticRoot: null });
  const mirror = async (lanes: string | undefined) => {
    const [q0, u0] = [await path.dropped(), await udpDrops()];
    const run = await cliMirror(source, target, signaling.url, { QUINTET_ICE_TRANSPORT_POLICY: 'relay', ...(lanes !== undefined ? { QUINTET_TEST_LANES: lanes } : {}) }, { channelStats: true })
      .then(async (r) => (await sameTree(source, target, ['.quintet']), r))
      .catch((error: unknown) => `failed (${String(error).split('\n')[0]})`);
    log(`${rttMs} ms: CLI ↔ CLI (lanes ${lanes ?? 'adaptive'}): link-queue drops ${(await path.dropped()) - q0}, UDP receive-buffer drops ${(await udpDrops()) - u0}`);
    await rm(join(source, '.quintet'), { recursive: true, force: true }); // the next run starts with no index either
    await rm(target, { recursive: true, force: true });
    await mkdir(target, { recursive: true });
    return run;
  };
  let cli: CliRun | string;
  let laned: CliRun | string;
  try {
    cli = await mirror('0');
    laned = await mirror(flags.lanes === 'adaptive' ? undefined : flags.lanes);
  } finally {
    await signaling.close();
  }
  // Before and after: the machine is shared and one run may lose early; their median is held against Quintet.
  while (raw.length < rawRuns) raw.push(await rawRun());
  const drops = (await udpDrops()) - drops0;
  const queueDrops = (await path.dropped()) - queue0;
  await path.stop();
  stops.pop();
  await rm(join(source, '.quintet'), { recursive: true, force: true }); // the next round trip starts with no index either
  await rm(target, { recursive: true, force: true });
  log(typeof cli === 'string' ? `${rttMs} ms: CLI ↔ CLI not measured, ${cli}` : `${rttMs} ms: CLI ↔ CLI, one lane ${cli.seconds.toFixed(2)} s; B matches A file by file`);
  log(typeof laned === 'string' ? `${rttMs} ms: CLI ↔ CLI with lanes not measured, ${laned}` : `${rttMs} ms: CLI ↔ CLI with lanes ${laned.seconds.toFixed(2)} s (received per lane: ${JSON.stringify(laned.lanes)}); B matches A file by file`);

  const tcpPingMs = await tcpPing(rttMs);
  const stTarget = join(work, `st-${rttMs}`);
  await mkdir(stTarget, { recursive: true });
  const relays: (() => void)[] = [];
  const route = async (ports: [number, number]): Promise<[number, number]> => {
    const relay = await startRelays({ delayMs: rttMs / 2, tcp: ports, windowBytes, rateMbit });
    relays.push(relay.stop);
    return relay.tcp as [number, number];
  };
  const syncthing = await syncthingSync(join(work, `st-home-${rttMs}`), source, stTarget, files, bytes, STEP_TIMEOUT, route)
    .then(async (run) => (await sameTree(source, stTarget, ['.stfolder', '.stversions']), run))
    .catch((error: unknown) => `failed (${String(error).split('\n')[0]})`)
    .finally(() => relays.forEach((stop) => stop()));
  await rm(join(source, '.stfolder'), { recursive: true, force: true });
  await rm(stTarget, { recursive: true, force: true });
  await rm(join(work, `st-home-${rttMs}`), { recursive: true, force: true });
  log(typeof syncthing === 'string' ? `${rttMs} ms: Syncthing not measured, ${syncthing}` : `${rttMs} ms: Syncthing ${syncthing.syncSeconds.toFixed(2)} s (TCP ping ${tcpPingMs.toFixed(1)} ms); B matches A file by file`);
  return { rttMs, raw, striped, cli, laned, syncthing, tcpPingMs, udpDrops: drops, queueDrops };
}

await runMeasures(stopDeadline, cleanup, async () => {
  const corpus = mixedCorpus({ large: Number(flags.large), largeMiB: Number(flags['large-mib']), medium: Number(flags.medium), small: Number(flags.small) });
  const source = join(work, 'a');
  await writeCorpusToDisk(source, corpus);
  log(`corpus: ${corpus.files} files, ${corpus.bytes} B written to disk`);
  const rows: RttRow[] = [];
  for (const rtt of rtts) rows.push(await measure(rtt, source, corpus.files, corpus.bytes));
  const section = rttSection({ rows, corpus, rawBytes: Number(flags['raw-mib']) << 20, windowBytes, link: rateMbit > 0 ? { rateMbit, queueKiB: flags['queue-kib'] } : null, argv: process.argv.slice(2), lanes: flags.lanes, ...provenance(repo) });
  console.log(`\n${section}\n`);
  if (!flags['no-readme']) {
    await writeSection(join(repo, 'bench/README.md'), 'Transfer over round trips', section);
    log('wrote the "## Transfer over round trips" section of bench/README.md');
  }
});
process.exit();
