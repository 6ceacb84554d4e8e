import { describe, expect, it, vi } from 'vitest';
import { webcrypto } from 'node:crypto';
import { LoopbackNetwork } from '../testing/loopback-transport.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { settleUntilQuiet } from '../testing/settle.ts';
import type { SubtleLike } from '../crypto/subtle.ts';
import type { Random } from '../ports.ts';
import { BUFFER_HIGH, Mesh, OUTBOX_CAP, STALL_MS } from './mesh.ts';
import { MeshKeys, REORDER_WINDOW } from './mesh-keys.ts';
import { decodeBundle, isBundle } from './bundle.ts';

const subtle = webcrypto.subtle as unknown as SubtleLike;
const random: Random = { bytes: (n) => webcrypto.getRandomValues(new Uint8Array(n)) };
const text = (s: string) => new TextEncoder().encode(s);
const read = (b: Uint8Array) => new TextDecoder().decode(b);
const ids = ['a000000000000001', 'b000000000000002', 'c000000000000003', 'd000000000000004', 'e000000000000005'];
const sessionKey = random.bytes(32);
/** What the newest test mesh has done so far (frames delivered, messages, drops, signals): settle waits for it to stop moving. */
let progress: () => number = () => 0;
/** Lets sealing (WebCrypto, on Node's thread pool) and delivery run until nothing moved for 60 ticks in a row (20 were too few under load: opening a bundle's frames shows no progress until all are open). */
const settle = () => settleUntilQuiet(() => progress(), 60);

/** Builds a full mesh of `n` members on one loopback network, signaling relayed in memory (sealed). */
async function mesh(n: number) {
  const net = new LoopbackNetwork();
  const clock = new ManualClock();
  const members = new Map<string, Mesh>();
  const inbox: [string, string, string][] = [];
  const drops: [string, string, string][] = [];
  const signals: string[] = [];
  for (const id of ids.slice(0, n)) {
    const keys = new MeshKeys({ subtle, random, sessionId: '482-KQT-913', self: id, sessionKey, epoch: 0 });
    const m = new Mesh({
      self: id, transport: net.transportFor(id), keys, timers: clock,
      sendSignal: (to, body) => {
        signals.push(body);
        void members.get(to)?.receiveSignal(id, body);
      },
    });
    m.on('message', (from, data) => inbox.push([id, from, read(data)]));
    m.on('dropped', (from, reason) => drops.push([id, from, reason]));
    members.set(id, m);
  }
  progress = () => net.delivered.length + inbox.length + drops.length + signals.length;
  // The newer member initiates towards every older one.
  for (const [i, id] of ids.slice(0, n).entries()) {
    for (const [j, other] of ids.slice(0, n).entries()) if (i !== j) members.get(id)!.connect(other, i > j);
  }
  await settle();
  return { net, clock, members, inbox, drops, signals };
}

describe('mesh', () => {
  it('fans one message out to every other member (≤ 4 peers), each frame sealed', async () => {
    const { net, members, inbox, signals } = await mesh(5);
    for (const m of members.values()) expect(m.connected).toHaveLength(4);
    await members.get(ids[0]!)!.broadcast(text('hello from A'));
    await settle();
    expect(inbox.map(([to, from, body]) => [to, from, body]).sort()).toEqual(ids.slice(1).map((to) => [to, ids[0], 'hello from A']));
    for (const [, , frame] of net.delivered) expect(read(frame)).not.toContain('hello');
    // The relayed signaling never carries the loopback "SDP" in clear.
    for (const s of signals) expect(s).not.toMatch(/offer|answer/);
  });

  it('keeps order per peer and drops forged, replayed and truncated frames, reporting each', async () => {
    const { net, members, inbox, drops } = await mesh(2);
    const [a, b] = [members.get(ids[0]!)!, ids[1]!];
    for (let i = 0; i < 20; i++) await a.send(b, text(`m${i}`)); // one at a time: each its own channel message
    await settle();
    expect(inbox.map(([, , body]) => body)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(net.delivered).toHaveLength(20);
    const [, , first] = net.delivered[0]!;
    net.inject(ids[0]!, b, first); // replay
    const forged = new Uint8Array(net.delivered[19]![2]);
    forged[15] = 20; // the next counter, but the tag was made for 19
    net.inject(ids[0]!, b, forged); // forged
    const ahead = new Uint8Array(forged);
    new DataView(ahead.buffer).setBigUint64(8, BigInt(20 + REORDER_WINDOW + 1));
    net.inject(ids[0]!, b, ahead); // past the reorder window (a gap no channel makes)
    net.inject(ids[0]!, b, first.subarray(0, 10)); // truncated
    await settle();
    expect(drops.map(([, , reason]) => reason)).toEqual(['replay', 'auth-failed', 'out-of-order', 'too-short']);
    void a.send(b, text('still fine'));
    await settle();
    expect(inbox.at(-1)![2]).toBe('still fine');
  });

  it('hands on in counter order the first messages of a channel that arrive late, as @roamhq/wrtc may deliver them (inlet.ts)', async () => {
    const { net, members, inbox, drops } = await mesh(2);
    const [a, b] = [members.get(ids[0]!)!, ids[1]!];
    // The first 5 frames A sends are held back and come after the next 5, as one run: 5–9, then 0–4, then 10–11.
    const late: Uint8Array[] = [];
    net.tap = (from, _to, frame) => {
      if (from !== ids[0] || late.length >= 5) return frame;
      late.push(frame);
      return null;
    };
    for (let i = 0; i < 10; i++) await a.send(b, text(`m${i}`));
    await settle();
    expect(late).toHaveLength(5);
    expect(inbox).toHaveLength(0); // 5–9 are held: none is handed on before 0
    for (const frame of late) net.inject(ids[0]!, b, frame);
    for (let i = 10; i < 12; i++) await a.send(b, text(`m${i}`));
    await settle();
    expect(inbox.map(([, , body]) => body)).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`));
    expect(drops).toEqual([]);
    // A held frame is still checked when its turn comes: a forged one ahead fails then, and the real one still opens.
    const real = await (async () => {
      const held: Uint8Array[] = [];
      net.tap = (from, _to, frame) => (from === ids[0] && held.length < 1 ? (held.push(frame), null) : frame);
      await a.send(b, text('m12'));
      await a.send(b, text('m13'));
      await settle();
      return held[0]!;
    })();
    const forged = new Uint8Array(real);
    forged[forged.length - 1]! ^= 1;
    net.inject(ids[0]!, b, forged);
    await settle();
    expect(drops.map(([, , reason]) => reason)).toEqual(['auth-failed']);
    net.inject(ids[0]!, b, real);
    await settle();
    expect(inbox.slice(12).map(([, , body]) => body)).toEqual(['m12', 'm13']);
  });

  it('sends a burst of small frames as one channel message (a bundle), each frame still sealed and checked', async () => {
    const { net, members, inbox, drops } = await mesh(2);
    const [a, b] = [members.get(ids[0]!)!, ids[1]!];
    const sent = Array.from({ length: 30 }, (_, i) => a.send(b, text(`burst ${i}`)));
    await Promise.all(sent);
    // A bundle's frames are handed on together once all are opened (30 decrypts on Node's thread pool, no progress to
    // see meanwhile): on a loaded machine that outlasts a quiet spell of `settle`, so wait for them.
    await vi.waitFor(() => expect(inbox).toHaveLength(30), { timeout: 20_000, interval: 5 });
    await settle();
    expect(inbox.map(([, , body]) => body)).toEqual(Array.from({ length: 30 }, (_, i) => `burst ${i}`));
    expect(net.delivered.length).toBeLessThan(30);
    expect(net.delivered.some(([, , m]) => isBundle(m))).toBe(true);
    for (const [, , m] of net.delivered) expect(read(m)).not.toContain('burst');
    // A bundle whose frames were already opened is a replay, frame by frame; a malformed one is dropped whole.
    const bundle = net.delivered.find(([, , m]) => isBundle(m))![2];
    net.inject(ids[0]!, b, bundle);
    net.inject(ids[0]!, b, bundle.subarray(0, bundle.length - 3));
    await vi.waitFor(() => expect(drops).toHaveLength(decodeBundle(bundle)!.length + 1), { timeout: 20_000, interval: 5 });
    await settle();
    expect(drops.map(([, , reason]) => reason).sort()).toEqual(['bundle-malformed', ...decodeBundle(bundle)!.map(() => 'replay')]);
    await a.send(b, text('still fine'));
    await settle();
    expect(inbox.at(-1)![2]).toBe('still fine');
  });

  it('moves to a new epoch; frames of a key not yet known wait for it', async () => {
    const { members, inbox, drops } = await mesh(2);
    const [a, b] = [members.get(ids[0]!)!, members.get(ids[1]!)!];
    const next = random.bytes(32);
    a.keys.adopt(1, next);
    await a.send(ids[1]!, text('under epoch 1'));
    await settle();
    expect(inbox).toEqual([]);
    b.keys.adopt(1, next);
    b.flushPending();
    await settle();
    expect(inbox.map(([, , body]) => body)).toEqual(['under epoch 1']);
    expect(drops).toEqual([]);
  });

  it('a rotation inside one bundle: frames of the new key wait, those behind them too, and all come in order', async () => {
    const { net, members, inbox, drops } = await mesh(2);
    const [a, b] = [members.get(ids[0]!)!, members.get(ids[1]!)!];
    const next = random.bytes(32);
    const sent = [a.send(ids[1]!, text('old 1')), a.send(ids[1]!, text('old 2'))];
    a.keys.adopt(1, next);
    sent.push(a.send(ids[1]!, text('new 1')), a.send(ids[1]!, text('new 2')));
    await Promise.all(sent);
    await a.send(ids[1]!, text('new 3')); // a later channel message, behind the waiting frames
    await settle();
    expect(net.delivered.filter(([from]) => from === ids[0]).some(([, , m]) => isBundle(m) && decodeBundle(m)!.length === 4)).toBe(true);
    expect(inbox.map(([, , body]) => body)).toEqual(['old 1', 'old 2']);
    b.keys.adopt(1, next);
    b.flushPending();
    await settle();
    expect(inbox.map(([, , body]) => body)).toEqual(['old 1', 'old 2', 'new 1', 'new 2', 'new 3']);
    expect(drops).toEqual([]);
  });

  it('a member holding an old key cannot read or forge after a rotation', async () => {
    const { members, drops } = await mesh(2);
    const [a, b] = [members.get(ids[0]!)!, members.get(ids[1]!)!];
    a.keys.adopt(1, random.bytes(32));
    b.keys.adopt(1, random.bytes(32)); // b got another key: its frames fail authentication at a
    await b.send(ids[0]!, text('x'));
    await settle();
    expect(drops.map(([, , r]) => r)).toEqual(['auth-failed']);
  });

  it('a peer that stops reading holds back no one: broadcasts still reach the others, its outbox stays under the cap', async () => {
    const { net, members, inbox } = await mesh(3);
    const [a, b, c] = [members.get(ids[0]!)!, ids[1]!, ids[2]!];
    const events: string[] = [];
    a.on('peer.stalled', (peer, reason) => events.push(`${peer}:${reason}`));
    net.stopReading(c);
    const big = new Uint8Array(200 * 1024);
    let most = 0;
    // Bulk to C without waiting (what a careless producer would do): the outbox gives up on C rather than grow.
    for (let i = 0; i < 300 && events.length === 0; i++) {
      void a.send(c, big);
      const held = a.held(c);
      most = Math.max(most, held.queued);
      await a.broadcast(text(`note ${i}`));
    }
    expect(events).toEqual([`${c}:queue-full`]);
    expect(most).toBeLessThanOrEqual(OUTBOX_CAP);
    expect(a.connected).toEqual([b]);
    await settle();
    // B got every note, in order, while C's channel was full.
    const notes = inbox.filter(([to]) => to === b).map(([, , body]) => body);
    expect(notes.length).toBeGreaterThan(20);
    expect(notes).toEqual(notes.map((_, i) => `note ${i}`));
  });

  it('a peer whose channel takes nothing for STALL_MS while frames wait is dropped; one that drains is kept', async () => {
    const { net, clock, members } = await mesh(3);
    const [a, b, c] = [members.get(ids[0]!)!, ids[1]!, ids[2]!];
    const events: string[] = [];
    a.on('peer.stalled', (peer, reason) => events.push(`${peer}:${reason}`));
    net.stopReading(b);
    net.stopReading(c);
    const chunk = new Uint8Array(200 * 1024);
    for (let i = 0; i < 25; i++) for (const peer of [b, c]) void a.send(peer, chunk);
    await settle();
    expect(a.held(b).buffered).toBeGreaterThan(BUFFER_HIGH);
    clock.advance(STALL_MS - 1);
    net.resumeReading(b); // B reads again before the deadline: progress
    await settle();
    clock.advance(1);
    expect(events).toEqual([`${c}:stalled`]);
    expect(a.connected).toEqual([b]);
    expect(a.held(c)).toEqual({ queued: 0, buffered: 0 });
  });

  it('even one small frame left unread for STALL_MS drops the peer', async () => {
    const { net, clock, members } = await mesh(2);
    const [a, b] = [members.get(ids[0]!)!, ids[1]!];
    const events: string[] = [];
    a.on('peer.stalled', (peer, reason) => events.push(`${peer}:${reason}`));
    net.stopReading(b);
    void a.send(b, text('are you there?'));
    // The stall watch is armed when the frame is written to the channel, after its sealing (real WebCrypto, slower on
    // a loaded machine than any fixed settle): wait for it to sit there, not just to be queued.
    await vi.waitFor(() => expect(a.held(b).buffered).toBeGreaterThan(0), { timeout: 10_000 });
    clock.advance(STALL_MS);
    expect(events).toEqual([`${b}:stalled`]);
    expect(a.connected).toEqual([]);
  });

  it('farewell: bye goes out, nothing after it, and it ends once the peers closed (or at the linger bound)', async () => {
    const { clock, members, inbox } = await mesh(3);
    const [a, b, c] = ids.map((id) => members.get(id)!);
    // b closes its channel to a on bye, as a session does; c never does (a member busy elsewhere).
    b!.on('message', (from, data) => read(data) === 'bye' && b!.disconnect(from));
    let ended = false;
    const leaving = a!.farewell(text('bye'), 3000).then(() => (ended = true));
    a!.close(); // as a session's exit does at once: the close waits for the farewell
    await a!.send(ids[1]!, text('after bye'));
    await a!.broadcast(text('after bye too'));
    await settle();
    expect(inbox.filter(([, from]) => from === ids[0]).map(([to, , body]) => `${to}:${body}`).sort()).toEqual([`${ids[1]}:bye`, `${ids[2]}:bye`]);
    expect(a!.connected).toEqual([ids[2]]);
    expect(ended).toBe(false); // c's channel is still open: a waits
    expect(await a!.stats()).toEqual({});
    clock.advance(3000);
    await leaving;
    await settle();
    expect(a!.connected).toEqual([]); // the bound passed: the waiting close ran
    expect(c!.connected).not.toContain(ids[0]);
  });

  it('farewell ends without waiting when every peer closes on bye', async () => {
    const { members } = await mesh(2);
    const [a, b] = ids.map((id) => members.get(id)!);
    b!.on('message', (from, data) => read(data) === 'bye' && b!.disconnect(from));
    await a!.farewell(text('bye'), 60_000); // the manual clock never moves: only b's close can end it
    expect(a!.connected).toEqual([]);
  });
});
