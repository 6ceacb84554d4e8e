/**
 * The Node stack's raw data-channel rate: one stream of 256 MiB between two Node processes on loopback, over the CLI's
 * own transport (simple-peer over @roamhq/wrtc, adapters/node/peer-transport.ts) with the mesh's backpressure and no
 * sealing: the ceiling a CLI ↔ CLI transfer is measured against. Run: `npx tsx bench/transfer/node-raw.ts [--mib 256]`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { nodePeerTransport } from '../../adapters/node/peer-transport.ts';
import { BUFFER_HIGH, BUFFER_LOW } from '../../core/mesh/outbox.ts';
import { MAX_PIECE_BYTES } from '../../core/protocol/block-frame.ts';
import type { PeerChannel } from '../../core/mesh/transport.ts';

export interface NodeRawRun {
  bytes: number;
  /** One message's size: a block piece's frame, the largest the mesh sends. */
  messageBytes: number;
  /** Seconds from the first message sent to the receiver holding every byte. */
  seconds: number;
  /** Decimal megabytes per second. */
  mbPerSecond: number;
}

/** The receiving process's side of the IPC: signaling data both ways, then the count of bytes received. */
type ToChild = { signal: string };
type FromChild = { signal: string } | { got: number };

/** One channel to the other process, with signaling data carried by `sendSignal`. */
function openChannel(initiator: boolean, sendSignal: (data: string) => void, onData: (data: Uint8Array) => void) {
  let connected!: () => void;
  let failed!: (error: Error) => void;
  const up = new Promise<void>((resolve, reject) => ((connected = resolve), (failed = reject)));
  const channel = nodePeerTransport({ iceServers: [] }).open({
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

/** Runs in the child: answers, counts bytes, reports the count once `want` arrived. */
function receiver(want: number): void {
  let got = 0;
  const { channel } = openChannel(false, (signal) => process.send!({ signal } satisfies FromChild), (data) => {
    const before = got;
    got += data.length;
    if (before < want && got >= want) process.send!({ got } satisfies FromChild);
  });
  process.on('message', (message: ToChild) => channel.signal(message.signal));
  process.on('disconnect', () => {
    channel.close();
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

/** Measures one stream of `bytes` from this process to a child process. */
export async function nodeRawRate(bytes = 256 << 20, messageBytes = MAX_PIECE_BYTES): Promise<NodeRawRun> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--receive', String(bytes)], { execArgv: ['--import', 'tsx'] });
  try {
    const done = new Promise<number>((resolve, reject) => {
      child.on('message', (message: FromChild) => ('got' in message ? resolve(message.got) : channel.signal(message.signal)));
      child.on('exit', (code) => reject(new Error(`receiver exited (${code})`)));
    });
    const { channel, up } = openChannel(true, (signal) => child.send({ signal } satisfies ToChild), () => {});
    await up;
    const start = performance.now();
    await pump(channel, bytes, messageBytes);
    const got = await done;
    const seconds = (performance.now() - start) / 1000;
    channel.close();
    if (got !== bytes) throw new Error(`receiver got ${got} bytes of ${bytes}`);
    return { bytes, messageBytes, seconds, mbPerSecond: bytes / 1e6 / seconds };
  } finally {
    child.disconnect();
  }
}

const main = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (main) {
  const { values } = parseArgs({ options: { receive: { type: 'string' }, mib: { type: 'string', default: '256' } } });
  if (values.receive !== undefined) receiver(Number(values.receive));
  else {
    const run = await nodeRawRate(Number(values.mib) << 20);
    console.log(`node raw (simple-peer + @roamhq/wrtc, 2 processes, loopback): ${run.bytes >> 20} MiB in ${run.messageBytes}-byte messages, ${run.seconds.toFixed(2)} s, ${run.mbPerSecond.toFixed(1)} MB/s`);
    process.exit(0);
  }
}
