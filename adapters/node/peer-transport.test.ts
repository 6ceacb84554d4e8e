/** Two Node peers through the real signaling server: a simple-peer/@roamhq/wrtc channel carries 32 MiB each way. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../signaling/config.ts';
import { startNodeServer, type NodeServer } from '../../signaling/node-server.ts';
import type { ServerMessage, WelcomeMessage } from '../../core/protocol/signal-messages.ts';
import type { SignalConnection } from '../../core/cloud/cloud-ports.ts';
import type { PeerChannel } from '../../core/mesh/transport.ts';
import { BUFFER_HIGH, BUFFER_LOW } from '../../core/mesh/outbox.ts';
import { nodeSignalConnector, signalUrlForServer } from './signal-client.ts';
import { nodePeerTransport } from './peer-transport.ts';

const TOTAL = 32 * 1024 * 1024;
/** The mesh's largest frame is a block piece just under 256 KiB (core/protocol/block-frame.ts). */
const CHUNK = 256 * 1024 - 64;

/** One signaling connection whose messages queue until asked for. */
function client(url: string, session: string | null) {
  const inbox: ServerMessage[] = [];
  const waiters: (() => void)[] = [];
  let onEnvelope: ((from: string, body: string) => void) | null = null;
  const connection: SignalConnection = nodeSignalConnector(url).connect({
    session,
    handlers: {
      onMessage: (message) => {
        if (message.type === 'envelope' && onEnvelope) return onEnvelope(message.from, message.body);
        inbox.push(message);
        waiters.splice(0).forEach((wake) => wake());
      },
      onClose: () => {},
    },
  });
  const next = async <T extends ServerMessage['type']>(type: T): Promise<Extract<ServerMessage, { type: T }>> => {
    for (;;) {
      const at = inbox.findIndex((m) => m.type === type);
      if (at >= 0) return inbox.splice(at, 1)[0] as Extract<ServerMessage, { type: T }>;
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  return { connection, next, relay: (fn: (from: string, body: string) => void) => (onEnvelope = fn) };
}

/** Deterministic bytes, different per side and per chunk. */
function chunkOf(seed: number, index: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761 + index * 40503 + 1) >>> 0;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 255;
  }
  return out;
}

/** Sends TOTAL bytes with the mesh's backpressure; returns their hash and the most bytes ever queued in the channel. */
async function sendAll(channel: PeerChannel, seed: number): Promise<{ hash: string; maxBuffered: number }> {
  const hash = createHash('sha256');
  let maxBuffered = 0;
  for (let sent = 0, index = 0; sent < TOTAL; index++) {
    if ((channel.bufferedAmount?.() ?? 0) > BUFFER_HIGH) await channel.drained!(BUFFER_LOW);
    const chunk = chunkOf(seed, index, Math.min(CHUNK, TOTAL - sent));
    hash.update(chunk);
    channel.send(chunk);
    sent += chunk.length;
    maxBuffered = Math.max(maxBuffered, channel.bufferedAmount?.() ?? 0);
  }
  return { hash: hash.digest('hex'), maxBuffered };
}

/** Two channels wired to each other in this process (signaling handed across directly). */
async function pair(onDataB: (data: Uint8Array) => void, onCloseB: () => void) {
  const ends: { a?: PeerChannel; b?: PeerChannel } = {};
  let up!: () => void;
  const connected = new Promise<void>((resolve) => (up = resolve));
  const a = nodePeerTransport({ iceServers: [] }).open({ peer: 'b', initiator: true, handlers: { onSignal: (d) => ends.b?.signal(d), onConnect: () => up(), onData: () => {}, onClose: () => {} } });
  const b = nodePeerTransport({ iceServers: [] }).open({ peer: 'a', initiator: false, handlers: { onSignal: (d) => ends.a?.signal(d), onConnect: () => {}, onData: onDataB, onClose: onCloseB } });
  Object.assign(ends, { a, b });
  await connected;
  return { a, b };
}

describe('Node peer transport', () => {
  it('sends exactly the bytes of a view into a larger buffer, as one message', async () => {
    const got: Uint8Array[] = [];
    let arrived!: () => void;
    const done = new Promise<void>((resolve) => (arrived = resolve));
    const { a, b } = await pair((data) => (got.push(data.slice()), arrived()), () => {});
    const big = new Uint8Array(1000).map((_, i) => i & 255);
    a.send(big.subarray(100, 110));
    await done;
    expect(got).toEqual([big.slice(100, 110)]);
    a.close();
    b.close();
  });

  it('tells the other side when one side closes, and drained() no longer waits', async () => {
    let closed!: () => void;
    const gone = new Promise<void>((resolve) => (closed = resolve));
    const { a, b } = await pair(() => {}, () => closed());
    a.close();
    await gone;
    await b.drained!(0);
  });
});

describe('Node peer transport over the real signaling server', () => {
  let server: NodeServer;
  beforeAll(async () => {
    server = await startNodeServer({ config: readConfig({}), port: 0, staticRoot: null });
  });
  afterAll(async () => {
    await server.close();
  });

  it('turns an http server URL into its ws /signal URL', () => {
    expect(signalUrlForServer('http://localhost:8787')).toBe('ws://localhost:8787/signal');
    expect(signalUrlForServer('https://q.example/base/')).toBe('wss://q.example/base/signal');
    expect(() => signalUrlForServer('ftp://q.example')).toThrow(/http/);
  });

  it('exchanges 32 MiB both ways, bytes equal, the channel buffer held under BUFFER_HIGH plus one frame', async () => {
    const url = signalUrlForServer(server.url);
    const a = client(url, null);
    const welcomeA: WelcomeMessage = await a.next('welcome');
    const b = client(url, welcomeA.session);
    const welcomeB: WelcomeMessage = await b.next('welcome');
    await a.next('candidate');
    a.connection.send({ type: 'admit', candidate: welcomeB.id });
    await b.next('admitted');

    const received = new Map<string, { hash: ReturnType<typeof createHash>; bytes: number; done: Promise<void>; end: () => void }>();
    const open = (side: ReturnType<typeof client>, self: WelcomeMessage, peer: string, initiator: boolean) => {
      const sink = { hash: createHash('sha256'), bytes: 0, end: () => {} } as { hash: ReturnType<typeof createHash>; bytes: number; done: Promise<void>; end: () => void };
      sink.done = new Promise<void>((resolve) => (sink.end = resolve));
      received.set(self.id, sink);
      let connected!: () => void;
      const up = new Promise<void>((resolve) => (connected = resolve));
      const channel = nodePeerTransport({ iceServers: self.iceServers }).open({
        peer,
        initiator,
        handlers: {
          onSignal: (data) => side.connection.send({ type: 'send', to: peer, body: data }),
          onConnect: () => connected(),
          onData: (data) => {
            sink.hash.update(data);
            sink.bytes += data.length;
            if (sink.bytes >= TOTAL) sink.end();
          },
          onClose: () => sink.end(),
        },
      });
      side.relay((from, body) => from === peer && channel.signal(body));
      return { channel, up };
    };
    const pa = open(a, welcomeA, welcomeB.id, false);
    const pb = open(b, welcomeB, welcomeA.id, true);
    await Promise.all([pa.up, pb.up]);

    const [fromA, fromB] = await Promise.all([sendAll(pa.channel, 1), sendAll(pb.channel, 2)]);
    await Promise.all([...received.values()].map((sink) => sink.done));
    const atA = received.get(welcomeA.id)!;
    const atB = received.get(welcomeB.id)!;
    expect(atB.bytes).toBe(TOTAL);
    expect(atA.bytes).toBe(TOTAL);
    expect(atB.hash.digest('hex')).toBe(fromA.hash);
    expect(atA.hash.digest('hex')).toBe(fromB.hash);
    expect(fromA.maxBuffered).toBeLessThanOrEqual(BUFFER_HIGH + CHUNK);
    expect(fromB.maxBuffered).toBeLessThanOrEqual(BUFFER_HIGH + CHUNK);
    const stats = await pa.channel.stats!();
    expect(stats.bytesSent).toBeGreaterThanOrEqual(TOTAL);
    expect(stats.bytesReceived).toBeGreaterThanOrEqual(TOTAL);

    pa.channel.close();
    pb.channel.close();
    a.connection.close();
    b.connection.close();
  }, 180_000);
});
