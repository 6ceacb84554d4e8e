/**
 * The Node stack's raw data-channel rate: one stream of 256 MiB between two Node processes on loopback, over the CLI's
 * own transport (simple-peer over @roamhq/wrtc, adapters/node/peer-transport.ts) with the mesh's backpressure and no
 * sealing: the ceiling a CLI ↔ CLI transfer is measured against. Run: `npx tsx bench/transfer/node-raw.ts [--mib 256]`
 * (`QUINTET_NODE_WEBRTC=node-datachannel` in the environment: the other Node stack, adapters/node/simple-peer-node.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { nodePeerTransport } from '../../adapters/node/peer-transport.ts';
import { NODE_WEBRTC_STACK } from '../../adapters/node/simple-peer-node.ts';
import { BUFFER_HIGH, BUFFER_LOW } from '../../core/mesh/outbox.ts';
import { MAX_PIECE_BYTES } from '../../core/protocol/block-frame.ts';
import type { PeerChannel } from '../../core/mesh/transport.ts';
import type { PeerTransportOptions } from '../../adapters/shared/simple-peer-transport.ts';
import { formatThreads, threadSeconds, threadTicks } from '../shared/thread-cpu.ts';

export interface NodeRawRun {
  bytes: number;
  /** One message's size: a block piece's frame, the largest the mesh sends. */
  messageBytes: number;
  /** Seconds from the first message sent to the receiver holding every byte. */
  seconds: number;
  /** Decimal megabytes per second. */
  mbPerSecond: number;
  /** Median of 5 one-byte echoes over the channel before the stream (ms): the round trip the data sees. */
  pingMs: number;
  /** Peer connections the stream was split over (an equal share each, in parallel): 1 unless asked. */
  connections: number;
  /** CPU seconds by thread name over the stream, [sender, receiver] (bench/shared/thread-cpu.ts; empty off Linux). */
  threads: [[string, number][], [string, number][]];
}

/** The ICE servers and policy of both ends (default: none, direct on loopback). */
const DIRECT: PeerTransportOptions = { iceServers: [] };

/** The receiving process's side of the IPC: signaling data both ways, then the count of bytes received. */
type ToChild = { signal: string; i?: number };
type FromChild = { signal: string; i: number } | { got: number };

/** One channel to the other process, with signaling data carried by `sendSignal`. */
function openChannel(ice: PeerTransportOptions, initiator: boolean, sendSignal: (data: string) => void, onData: (data: Uint8Array) => void) {
  let connected!: () => void;
  let failed!: (error: Error) => void;
  const up = new Promise<void>((resolve, reject) => ((connected = resolve), (failed = reject)));
  const channel = nodePeerTransport(ice).open({
    peer: initiator ? 'receiver' : 'sender',
    initiator,
    handlers: {
      onSignal: sendSignal,
      onConnect: () => connected(),
      onData,
      onClose: (error) => failed(error ?? new Error('channel closed')),
    },
  });
  return { channel, up };
}

/** Runs in the child: answers each connection, echoes one-byte pings, counts the other bytes, reports once `want` arrived. */
function receiver(want: number, ice: PeerTransportOptions, connections: number): void {
  let got = 0;
  const channels = Array.from({ length: connections }, (_, i) => {
    const { channel } = openChannel(ice, false, (signal) => process.send!({ signal, i } satisfies FromChild), (data) => {
      if (data.length === 1) return channel.send(data);
      const before = got;
      got += data.length;
      if (before < want && got >= want) process.send!({ got } satisfies FromChild);
    });
    return channel;
  });
  process.on('message', (message: ToChild) => channels[message.i ?? 0]!.signal(message.signal));
  process.on('disconnect', () => {
    channels.forEach((c) => c.close());
    process.exit(0);
  });
}

/** Sends `bytes` as the mesh does: past BUFFER_HIGH queued, wait until the channel drains to BUFFER_LOW. */
async function pump(channel: PeerChannel, bytes: number, messageBytes: number): Promise<void> {
  const message = new Uint8Array(messageBytes);
  crypto.getRandomValues(message.subarray(0, 65_536));
  for (let sent = 0; sent < bytes; sent += messageBytes) {
    if ((channel.bufferedAmount?.() ?? 0) > BUFFER_HIGH) await channel.drained!(BUFFER_LOW);
    channel.send(sent + messageBytes <= bytes ? message : message.subarray(0, bytes - sent));
  }
}

/**
 * Measures `bytes` from this process to a child process, over the ICE servers and policy `ice`, split over
 * `connections` peer connections (one channel each) sending in parallel.
 */
export async function nodeRawRate(bytes = 256 << 20, messageBytes = MAX_PIECE_BYTES, ice: PeerTransportOptions = DIRECT, connections = 1): Promise<NodeRawRun> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--receive', String(bytes), '--ice', JSON.stringify(ice), '--connections', String(connections)], { execArgv: ['--import', 'tsx'] });
  try {
    const done = new Promise<number>((resolve, reject) => {
      child.on('message', (message: FromChild) => ('got' in message ? resolve(message.got) : opened[message.i]!.channel.signal(message.signal)));
      child.on('exit', (code) => reject(new Error(`receiver exited (${code})`)));
    });
    let pong: (() => void) | null = null;
    const opened = Array.from({ length: connections }, (_, i) => openChannel(ice, true, (signal) => child.send({ signal, i } satisfies ToChild), () => pong?.()));
    await Promise.all(opened.map((o) => o.up));
    const channel = opened[0]!.channel;
    const pings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => ((pong = resolve), channel.send(new Uint8Array([i]))));
      pings.push(performance.now() - t0);
    }
    const pids = [process.pid, child.pid];
    const ticks0 = await Promise.all(pids.map(threadTicks));
    const start = performance.now();
    const share = Math.ceil(bytes / connections);
    await Promise.all(opened.map((o, i) => pump(o.channel, Math.max(0, Math.min(share, bytes - i * share)), messageBytes)));
    const got = await done;
    const seconds = (performance.now() - start) / 1000;
    const ticks1 = await Promise.all(pids.map(threadTicks));
    const threads = [0, 1].map((i) => threadSeconds(ticks0[i]!, ticks1[i]!)) as NodeRawRun['threads'];
    opened.forEach((o) => o.channel.close());
    if (got !== bytes) throw new Error(`receiver got ${got} bytes of ${bytes}`);
    return { bytes, messageBytes, seconds, mbPerSecond: bytes / 1e6 / seconds, pingMs: pings.sort((x, y) => x - y)[2]!, connections, threads };
  } finally {
    child.disconnect();
  }
}

const main = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (main) {
  const { values } = parseArgs({ options: { receive: { type: 'string' }, ice: { type: 'string' }, connections: { type: 'string', default: '1' }, mib: { type: 'string', default: '256' }, threads: { type: 'boolean', default: false } } });
  if (values.receive !== undefined) receiver(Number(values.receive), values.ice === undefined ? DIRECT : (JSON.parse(values.ice) as PeerTransportOptions), Number(values.connections));
  else {
    const run = await nodeRawRate(Number(values.mib) << 20);
    console.log(`node raw (simple-peer + ${NODE_WEBRTC_STACK}, 2 processes, loopback): ${run.bytes >> 20} MiB in ${run.messageBytes}-byte messages, ${run.seconds.toFixed(2)} s, ${run.mbPerSecond.toFixed(1)} MB/s`);
    if (values.threads) run.threads.forEach((t, i) => console.log(`  CPU by thread, ${i ? 'receiver' : 'sender'}: ${formatThreads(t)}`));
    process.exit(0);
  }
}
