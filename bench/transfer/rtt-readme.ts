/** The text of the "## Transfer over round trips" section: machine, command, path, table, the issue's target at 40 ms. */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { machineLines } from '../shared/machine.ts';
import type { Corpus } from '../inventory/corpus.ts';
import type { NodeRawRun } from './node-raw.ts';
import type { CliRun } from './cli-mirror.ts';
import type { SyncthingRun } from './syncthing.ts';
import { mbps } from './report.ts';
import { median, verdict } from './rtt-raw.ts';

/** Issue 16's targets at a 40 ms round trip: Quintet's rate over one raw channel's, and its time over Syncthing's. */
export const TARGET_RTT = 40;
export const TARGET_OVER_RAW = 3;
export const TARGET_OVER_SYNCTHING = 2;

export interface RttRow {
  rttMs: number;
  /** The raw channel's runs, before and after Quintet (their median rate is the reference: rtt-raw.ts). */
  raw: NodeRawRun[];
  /** The same raw stream split over several peer connections (what striping could reach), or null if not asked. */
  striped: NodeRawRun | null;
  /** Quintet on one connection per pair (QUINTET_TEST_LANES=0). */
  cli: CliRun | string;
  /** Quintet with lanes (adaptive, or forced with --lanes): what the targets are held against. */
  laned: CliRun | string;
  syncthing: SyncthingRun | string;
  /** Median one-byte echo through the TCP delay proxy (ms). */
  tcpPingMs: number;
  /** UDP receive-buffer drops on the whole machine during the WebRTC measures (0: the relay lost nothing). */
  udpDrops: number;
  /** Datagrams the paced link's drop-tail queues dropped during the WebRTC measures (both directions; 0 unpaced). */
  queueDrops: number;
}

export interface RttText {
  rows: RttRow[];
  corpus: Corpus;
  rawBytes: number;
  windowBytes: number;
  /** The link each direction of the path is paced at (`--rate-mbit`), its queue (`--queue-kib`, else one BDP); null: unpaced. */
  link: { rateMbit: number; queueKiB: string | undefined } | null;
  argv: string[];
  /** `adaptive` or the number of lanes forced. */
  lanes: string;
  commit: string;
  dirty: string;
}

const version = (command: string, args: string[]) => {
  try {
    return execFileSync(command, args, { encoding: 'utf8', timeout: 10_000 }).split('\n')[0]!.trim();
  } catch {
    return '?';
  }
};
const seconds = (r: CliRun | SyncthingRun | string) => (typeof r === 'string' ? null : 'syncSeconds' in r ? r.syncSeconds : r.seconds);

/** The raw channel of a round trip as held against Quintet: the median rate and the median round trip of its runs. */
export const rawYardstick = (row: RttRow): { mbPerSecond: number; pingMs: number } => ({
  mbPerSecond: median(row.raw.map((r) => r.mbPerSecond)),
  pingMs: median(row.raw.map((r) => r.pingMs)),
});

/** Quintet's rate over the raw channel's median, and its time over Syncthing's (null where either was not measured); with lanes by default. */
export function ratios(row: RttRow, bytes: number, run: 'cli' | 'laned' = 'laned'): { overRaw: number | null; overSyncthing: number | null } {
  const q = seconds(row[run]);
  const s = seconds(row.syncthing);
  return { overRaw: q === null ? null : mbps(bytes, q) / rawYardstick(row).mbPerSecond, overSyncthing: q === null || s === null ? null : q / s };
}

function tableLines(t: RttText): string[] {
  const bytes = t.corpus.bytes;
  const stripes = t.rows.find((r) => r.striped)?.striped?.connections ?? 'N';
  const cell = (r: CliRun | SyncthingRun | string) => {
    const s = seconds(r);
    return s === null ? `not measured: ${r as string}` : `${s.toFixed(2)} s (${mbps(bytes, s).toFixed(1)} MB/s)`;
  };
  const lanes = t.lanes === 'adaptive' ? 'lanes as they open' : `${t.lanes} lanes forced`;
  const share = (r: CliRun | string) => {
    if (typeof r === 'string' || !r.lanes) return '—';
    const total = Object.values(r.lanes).reduce((a, b) => a + b, 0);
    const extra = Object.entries(r.lanes).filter(([lane]) => lane !== '0');
    return extra.length === 0 ? 'none' : `${extra.length}: ${((1 - (r.lanes['0'] ?? 0) / total) * 100).toFixed(0)} %`;
  };
  const lines = [
    `| Round trip asked | Measured: data channel / TCP | Raw channel: runs in order (**median**) | Median raw × RTT | Raw over ${stripes} peer connections | Quintet CLI ↔ CLI, one lane | Quintet, ${lanes} | Lanes opened: bytes on them | Syncthing | Quintet / raw rate: with lanes (one lane) | Quintet / Syncthing time: with lanes (one lane) |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of t.rows) {
    const { overRaw, overSyncthing } = ratios(row, bytes);
    const one = ratios(row, bytes, 'cli');
    const pair = (a: number | null, b: number | null) => `${a === null ? '—' : `${a.toFixed(2)}×`} (${b === null ? '—' : `${b.toFixed(2)}×`})`;
    const best = rawYardstick(row);
    const inFlight = row.rttMs === 0 ? '—' : `${((best.mbPerSecond * 1e6 * best.pingMs) / 1000 / 1024).toFixed(0)} KiB`;
    const rates = `${row.raw.map((r) => r.mbPerSecond.toFixed(1)).join(' / ')} (**${best.mbPerSecond.toFixed(1)}**)`;
    lines.push(
      `| ${row.rttMs} ms | ${best.pingMs.toFixed(1)} ms / ${row.tcpPingMs.toFixed(1)} ms | ${rates} MB/s | ${inFlight} | ${row.striped ? `${row.striped.mbPerSecond.toFixed(1)} MB/s (${(row.striped.mbPerSecond / best.mbPerSecond).toFixed(2)}×)` : '—'} | ${cell(row.cli)} | ${cell(row.laned)} | ${share(row.laned)} | ${cell(row.syncthing)} | ${pair(overRaw, one.overRaw)} | ${pair(overSyncthing, one.overSyncthing)} |`,
    );
  }
  return lines;
}

function targetLine(t: RttText): string {
  const row = t.rows.find((r) => r.rttMs === TARGET_RTT);
  if (!row) return `Target at ${TARGET_RTT} ms: not measured in this run.`;
  const { overRaw, overSyncthing } = ratios(row, t.corpus.bytes);
  return [
    `Target at ${TARGET_RTT} ms (Quintet with lanes): Quintet ≥ ${TARGET_OVER_RAW}× one raw channel (the median of its ${row.raw.length} runs): ${verdict(overRaw, (v) => v >= TARGET_OVER_RAW)} (${overRaw?.toFixed(2) ?? '—'}×);`,
    `within ${TARGET_OVER_SYNCTHING}× Syncthing's time: ${verdict(overSyncthing, (v) => v <= TARGET_OVER_SYNCTHING)} (${overSyncthing?.toFixed(2) ?? '—'}×).`,
  ].join(' ');
}

/** The system's default UDP receive buffer (what libwebrtc's sockets get), as read from /proc; `?` off Linux. */
function rmemDefault(): string {
  try {
    return `${Math.round(Number(readFileSync('/proc/sys/net/core/rmem_default', 'utf8')) / 1024)} KiB`;
  } catch {
    return '?';
  }
}

/** What the path's link is: paced at a rate with a drop-tail queue, or unpaced (bursts at loopback speed). */
function linkText(t: RttText): string {
  if (t.link === null) {
    return 'The path is unpaced (no `--rate-mbit`): a burst a sender makes reaches the other member as fast as it left, which no real link does.';
  }
  const queue = t.link.queueKiB !== undefined ? `${t.link.queueKiB} KiB` : 'one bandwidth-delay product at that round trip (at least 64 KiB)';
  return `Each direction is one link of ${t.link.rateMbit} Mbit/s (\`--rate-mbit\`), shared by every connection of the pair: datagrams leave it one after the other at that rate and one that would wait behind more than ${queue} is dropped (drop-tail), as at a real bottleneck; the TCP proxies are paced at the same rate and drop nothing.`;
}

export function rttSection(t: RttText): string {
  const st = t.rows.map((r) => r.syncthing).find((s): s is SyncthingRun => typeof s !== 'string');
  const drops = t.rows.map((r) => `${r.rttMs} ms: ${r.udpDrops}`).join(', ');
  const queueDrops = t.rows.map((r) => `${r.rttMs} ms: ${r.queueDrops}`).join(', ');
  return [
    `Run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${t.commit}${t.dirty ? ` with uncommitted changes in ${t.dirty}` : ''}:`,
    '',
    ...machineLines(`${st?.version ?? 'Syncthing ?'}, coturn ${version('turnserver', ['--version'])}`),
    '',
    `Command: \`npx tsx bench/transfer/rtt.ts${t.argv.length ? ` ${t.argv.join(' ')}` : ''}\`. Corpus: ${t.corpus.files.toLocaleString('en-US')} files,`,
    `${(t.corpus.bytes / 2 ** 20).toFixed(0)} MiB (the transfer corpus's mix, smaller: large, 8 MiB and 1–64 KiB files); raw channel: one stream of ${t.rawBytes >> 20} MiB, ${t.rows[0]?.raw.length ?? 0} runs per round trip.`,
    '',
    ...tableLines(t),
    '',
    targetLine(t),
    '',
    '**The path.** The kernel here has no `netem`, so the delay is a userspace relay on loopback',
    '(`bench/transfer/delay-relay.ts`, its own Node process): every datagram or byte is delivered a fixed delay after it',
    'arrived, in order, with 4 MiB socket buffers (it dropped nothing in the probes, `ss -uam`). The path is not lossless',
    'though: a member\'s own UDP socket (libwebrtc leaves it at the system default, `net.core.rmem_default`: here',
    `${rmemDefault()}) overflows when a burst arrives faster than that process reads it, and SCTP then backs off (UDP`,
    `receive-buffer drops on the whole machine during each round trip's WebRTC measures: ${drops}). ${linkText(t)}`,
    `Datagrams the link's queues dropped over the same measures: ${queueDrops}.`,
    'WebRTC: coturn on 127.0.0.1 behind the UDP relay, both',
    'ends with relay-only ICE (`iceTransportPolicy: "relay"`; the CLI members with `QUINTET_ICE_TRANSPORT_POLICY=relay`, their',
    'signaling server handing out the relay\'s `turn:` URL with coturn\'s REST credentials): member → relay → coturn →',
    'relay → member, each crossing a quarter of the round trip. The "data channel" round trip is the median over the raw',
    'runs of each one\'s median of five one-byte echoes before its stream. Syncthing: a TCP delay proxy in front of each instance\'s',
    'listening port (each dials the other through it), half the round trip each way, the "TCP" round trip measured the',
    `same way through such a proxy; the proxy holds at most ${t.windowBytes >> 10} KiB unacknowledged each way (a byte counts until`,
    'a half round trip after its delivery, when an acknowledgment would be back), as a sender\'s TCP window on a real path',
    '(its own loopback legs acknowledge at once: without the bound the path would have an unlimited window). 0 ms is the',
    'same path with no delay: the relays\' own cost, the baseline of each column. Raw channel: the Node stack\'s',
    '(`bench/transfer/node-raw.ts`, simple-peer over @roamhq/wrtc, one data channel, the mesh\'s backpressure), run',
    '`--raw-runs` times (about half before Quintet, the rest after), the median (bold) held against it: one run that loses',
    'early on this path crawls for its whole stream, so neither one run nor the fastest is a fair yardstick. Quintet:',
    '`quintet create --preset mirror` ↔ `quintet join` on the disk corpus, timed from the member\'s "Synchronization',
    'started" to its result, twice: on one connection per pair (`QUINTET_TEST_LANES=0`, as before lanes), then with',
    'lanes (core/mesh/lanes.ts: extra peer connections for block pieces, each its own ICE, DTLS and SCTP association,',
    'through the same TURN; adaptive unless `--lanes N`), "bytes on them" the share of what the receiver\'s mesh received',
    'that came on lanes other than the first; Syncthing: send-only → receive-only, from unpausing B to B idle with every byte. Both',
    'checked file by file. "Median raw × RTT" is the median raw rate times the measured round trip: the bytes one channel keeps in',
    'flight, its window. "Raw over N peer connections": the same stream split in equal shares over N connections (one',
    'channel, one SCTP association each) sending at once, right after the first raw run: what striping could reach.',
  ].join('\n');
}
