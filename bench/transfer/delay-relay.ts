/**
 * A WAN-like path on loopback for bench/transfer/rtt.ts (the kernel here has no `netem`): a UDP relay (in front of
 * coturn) and TCP proxies (in front of Syncthing) that deliver every datagram or byte a fixed one-way delay after it
 * arrived, in arrival order. Unpaced (the default), they drop nothing they received and deliver a burst as it came, at
 * loopback speed. With a link rate (`rateMbit`, as netem's `rate`), each direction is one link of that rate: items leave
 * it one after the other at that rate, as a real bottleneck spaces packets, and the UDP relay drops a datagram that
 * would wait behind more than `queueBytes` (a router's drop-tail queue); the TCP proxy never drops (its window bounds
 * what waits). Runs in its own process (`startRelays`), so the bench's own work (the raw sender) does not delay its timers.
 */
import { fork } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A link of a fixed rate in front of a delay line: how fast it sends, how much may wait for it, how big an item is. */
export interface LinkRate<T> {
  bytesPerMs: number;
  /** Drop-tail: an item that would wait behind more than this many bytes is dropped (Infinity: never). */
  queueBytes: number;
  size(item: T): number;
}

/**
 * Delivers items `delayMs` after they were pushed, in push order, on one timer (0: at once, the relay's own cost).
 * With a `link`, an item first waits for the link to send what is ahead of it, then takes its own size's time on it.
 */
export class DelayLine<T> {
  private queue: { at: number; item: T }[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  /** When the link has sent everything pushed so far (ms, performance.now()). */
  private linkFree = 0;
  /** Items dropped because the link's queue was full. */
  dropped = 0;
  constructor(
    private readonly delayMs: number,
    private readonly deliver: (item: T) => void,
    private readonly link: LinkRate<T> | null = null,
  ) {}

  push(item: T): void {
    if (this.delayMs <= 0 && this.link === null) return this.deliver(item);
    const now = performance.now();
    let leaves = now;
    if (this.link !== null) {
      const start = Math.max(now, this.linkFree);
      if ((start - now) * this.link.bytesPerMs > this.link.queueBytes) return void this.dropped++;
      leaves = this.linkFree = start + this.link.size(item) / this.link.bytesPerMs;
    }
    this.queue.push({ at: leaves + this.delayMs, item });
    if (this.timer === null) this.schedule();
  }

  private schedule(): void {
    const first = this.queue[this.head];
    this.timer = first === undefined ? null : setTimeout(this.flush, Math.max(0, first.at - performance.now()));
  }

  // Timers fire late by up to ~1 ms (more on a loaded machine), never early by more than the 0.25 ms allowed here.
  private readonly flush = (): void => {
    const now = performance.now() + 0.25;
    while (this.head < this.queue.length && this.queue[this.head]!.at <= now) this.deliver(this.queue[this.head++]!.item);
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.schedule();
  };
}

const SOCKET_BUFFER = 4 << 20; // net.core.rmem_max here: a stalled event loop loses no datagram before this fills

/** A link of `rateMbit` (none when 0) whose drop-tail queue holds `queueBytes`, for items whose size `size` tells. */
function linkOf<T>(rateMbit: number, queueBytes: number, size: (item: T) => number): LinkRate<T> | null {
  return rateMbit > 0 ? { bytesPerMs: (rateMbit * 1e6) / 8 / 1000, queueBytes, size } : null;
}

/**
 * A UDP relay on a free loopback port: each client address gets its own socket toward `targetPort` (so the target,
 * coturn, sees one client per client), each datagram waits `delayMs` in each direction. With `rateMbit`, all clients'
 * datagrams toward the target share one link of that rate, and all datagrams back share another: between two members
 * a mirror's data crosses both (its acknowledgments are small), so every peer connection of the pair shares one link
 * each way, as the connections of one home do.
 */
export async function udpDelayRelay(targetPort: number, delayMs: number, rateMbit = 0, queueBytes = Infinity): Promise<{ port: number; close(): void; dropped(): number }> {
  const front = dgram.createSocket({ type: 'udp4', recvBufferSize: SOCKET_BUFFER, sendBufferSize: SOCKET_BUFFER });
  const backs = new Map<number, dgram.Socket>();
  const toTarget = new DelayLine<{ back: dgram.Socket; message: Buffer }>(delayMs, ({ back, message }) => back.send(message, targetPort, '127.0.0.1'), linkOf(rateMbit, queueBytes, (i) => i.message.length));
  const toClient = new DelayLine<{ port: number; message: Buffer }>(delayMs, ({ port, message }) => front.send(message, port, '127.0.0.1'), linkOf(rateMbit, queueBytes, (i) => i.message.length));
  front.on('message', (message, from) => {
    let back = backs.get(from.port);
    if (back === undefined) {
      back = dgram.createSocket({ type: 'udp4', recvBufferSize: SOCKET_BUFFER, sendBufferSize: SOCKET_BUFFER });
      back.on('message', (reply) => toClient.push({ port: from.port, message: reply }));
      back.bind(0, '127.0.0.1');
      backs.set(from.port, back);
    }
    toTarget.push({ back, message });
  });
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
  return {
    port: front.address().port,
    close: () => [front, ...backs.values()].forEach((s) => s.close()),
    dropped: () => toTarget.dropped + toClient.dropped,
  };
}

/**
 * Copies `from` to `to` after `delayMs`. At most `windowBytes` are unacknowledged: a byte counts from its arrival until
 * `delayMs` after its delivery (when a TCP acknowledgment would be back), as a sender's TCP window on a path of round
 * trip 2 × `delayMs` (the proxy's own loopback legs acknowledge at once, so without this bound it would be a path of
 * unlimited window).
 */
function delayedPipe(from: net.Socket, to: net.Socket, delayMs: number, windowBytes: number, rateMbit: number): void {
  let unacked = 0;
  const acks = new DelayLine<number>(delayMs, (bytes) => {
    unacked -= bytes;
    if (unacked < windowBytes && from.isPaused()) from.resume();
  });
  const line = new DelayLine<Buffer | null>(delayMs, (chunk) => {
    if (chunk === null) return void to.end();
    if (!to.destroyed) to.write(chunk);
    acks.push(chunk.length);
  }, linkOf(rateMbit, Infinity, (chunk) => chunk?.length ?? 0));
  from.on('data', (chunk: Buffer) => {
    unacked += chunk.length;
    line.push(chunk);
    if (unacked >= windowBytes) from.pause();
  });
  from.on('end', () => line.push(null));
}

/** A TCP proxy on a free loopback port to `targetPort`, `delayMs` each way, `windowBytes` in flight each way, a link of `rateMbit` each way (none: 0). */
export async function tcpDelayProxy(targetPort: number, delayMs: number, windowBytes: number, rateMbit = 0): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      sockets.add(s);
      s.on('error', () => (client.destroy(), upstream.destroy()));
      s.on('close', () => (sockets.delete(s), s === client ? upstream.destroy() : client.destroy()));
    }
    delayedPipe(client, upstream, delayMs, windowBytes, rateMbit);
    delayedPipe(upstream, client, delayMs, windowBytes, rateMbit);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => (server.close(), sockets.forEach((s) => s.destroy())),
  };
}

/** What the relay process is asked: a UDP relay to `udp` (if given), a TCP proxy to each of `tcp`. */
export interface RelaySpec {
  delayMs: number;
  udp?: number;
  tcp: number[];
  windowBytes: number;
  /** Each direction a link of this rate (Mbit/s; 0 or absent: unpaced), the UDP relay's queue `queueBytes` deep. */
  rateMbit?: number;
  queueBytes?: number;
}
type RelayPorts = { udp: number | null; tcp: number[] };

/**
 * Starts the relays of `spec` in a child process; returns their ports, what stops them, and what asks the UDP relay
 * how many datagrams its links' queues dropped so far (0 without a UDP relay; NaN once the process is gone).
 */
export async function startRelays(spec: RelaySpec): Promise<RelayPorts & { stop(): void; dropped(): Promise<number> }> {
  const child = fork(fileURLToPath(import.meta.url), ['--relays', JSON.stringify(spec)], { execArgv: ['--import', 'tsx'] });
  const ports = await new Promise<RelayPorts>((resolve, reject) => {
    child.once('message', (m) => resolve(m as RelayPorts));
    child.once('exit', (code) => reject(new Error(`delay relay exited (${code})`)));
  });
  const dropped = () => new Promise<number>((resolve) => {
    if (!child.connected) return resolve(NaN);
    child.once('message', (m) => resolve((m as { dropped: number }).dropped));
    child.send('dropped');
  });
  return { ...ports, stop: () => child.kill('SIGTERM'), dropped };
}

const main = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (main && process.argv[2] === '--relays') {
  const spec = JSON.parse(process.argv[3]!) as RelaySpec;
  const udp = spec.udp === undefined ? null : await udpDelayRelay(spec.udp, spec.delayMs, spec.rateMbit ?? 0, spec.queueBytes ?? Infinity);
  const tcp = await Promise.all(spec.tcp.map((port) => tcpDelayProxy(port, spec.delayMs, spec.windowBytes, spec.rateMbit ?? 0)));
  process.send!({ udp: udp?.port ?? null, tcp: tcp.map((p) => p.port) } satisfies RelayPorts);
  process.on('message', (m) => m === 'dropped' && process.send!({ dropped: udp?.dropped() ?? 0 }));
  process.on('disconnect', () => process.exit(0));
}
