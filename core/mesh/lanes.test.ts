import { describe, expect, it, vi } from 'vitest';
import { webcrypto } from 'node:crypto';
import { LoopbackNetwork } from '../testing/loopback-transport.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import type { SubtleLike } from '../crypto/subtle.ts';
import type { Random } from '../ports.ts';
import { Mesh } from './mesh.ts';
import { MeshKeys } from './mesh-keys.ts';
import { STALL_MS } from './outbox.ts';
import { LANE_CONNECT_MS, LANE_ENVELOPE_TYPE, LANE_PATIENCE_MS, MAX_LANES, type LanePolicy } from './lanes.ts';
import { decodeBundle, isBundle } from './bundle.ts';
import { encodeLaneNotice } from './lane-notice.ts';

const subtle = webcrypto.subtle as unknown as SubtleLike;
const random: Random = { bytes: (n) => webcrypto.getRandomValues(new Uint8Array(n)) };
const [A, B, C] = ['a000000000000001', 'b000000000000002', 'c000000000000003'];
const sessionKey = random.bytes(32);
/** What may take a lane here: messages starting with 'P' (a block piece's stand-in); JSON starts with '{'. */
const piece = (n: number, size = 64) => {
  const bytes = new Uint8Array(size);
  bytes[0] = 0x50;
  new DataView(bytes.buffer).setUint32(1, n);
  return bytes;
};
const pieceNo = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(1);
const json = (s: string) => new TextEncoder().encode(JSON.stringify({ s }));
const laneable = (data: Uint8Array) => data[0] === 0x50;

/** Frames delivered between `from` and `to`, unbundled, per connection (link id). */
function framesByLink(net: LoopbackNetwork, from: string, to: string): Map<number, Uint8Array[]> {
  const out = new Map<number, Uint8Array[]>();
  for (const [f, t, m, link] of net.delivered) {
    if (f !== from || t !== to) continue;
    out.set(link, [...(out.get(link) ?? []), ...(isBundle(m) ? decodeBundle(m)! : [m])]);
  }
  return out;
}

/** A mesh of `n` members (A, B, C…), each with its own lane policy; `settle` waits for it to stop moving. */
async function mesh(policies: Partial<LanePolicy>[]) {
  const net = new LoopbackNetwork();
  const clock = new ManualClock();
  const ids = [A, B, C].slice(0, policies.length);
  /** Each member's lane policy, as the mesh holds it: a test may change it on the way (`force`). */
  const policyOf = new Map<string, LanePolicy>();
  const members = new Map<string, Mesh>();
  const inbox: [string, string, Uint8Array][] = [];
  const drops: [string, string, string][] = [];
  const events: string[] = [];
  /** Lanes lost or failed, as `<member>:<what>:<lane>`. */
  const lost: string[] = [];
  let signals = 0;
  ids.forEach((id, i) => {
    const keys = new MeshKeys({ subtle, random, sessionId: '482-KQT-913', self: id, sessionKey, epoch: 0 });
    const m = new Mesh({
      self: id, transport: net.transportFor(id), keys, timers: clock,
      sendSignal: (to, body) => {
        signals++;
        void members.get(to)?.receiveSignal(id, body);
      },
      lanes: policyOf.set(id, { accept: true, peerAccepts: () => true, laneable, ...policies[i] }).get(id)!,
    });
    m.on('message', (from, data) => inbox.push([id, from, data]));
    m.on('dropped', (from, reason) => drops.push([id, from, reason]));
    m.on('peer.down', (peer) => events.push(`${id}:down:${peer}`));
    m.on('peer.stalled', (peer, reason) => events.push(`${id}:stalled:${peer}:${reason}`));
    m.on('lane', (_peer, lane, what) => (what === 'lost' || what === 'failed') && lost.push(`${id}:${what}:${lane}`));
    members.set(id, m);
  });
  const progress = () => net.delivered.length + inbox.length + drops.length + signals + events.length;
  const settle = async () => {
    let last = progress();
    let still = 0;
    // Sealing and key derivation run on Node's thread pool: on a loaded machine one can outlast a few quiet ticks.
    for (let i = 0; i < 5000 && (i < 40 || still < 50); i++) {
      await new Promise((r) => setTimeout(r, 1));
      const now = progress();
      still = now === last ? still + 1 : 0;
      last = now;
    }
  };
  ids.forEach((id, i) => ids.forEach((other, j) => i !== j && members.get(id)!.connect(other, i > j)));
  await settle();
  return { net, clock, members, inbox, drops, events, lost, settle, m: (id: string) => members.get(id)!, policy: (id: string) => policyOf.get(id)! };
}

/** A sends `count` pieces to B on any lane (and each lane, once open, gets some). */
async function spread(t: Awaited<ReturnType<typeof mesh>>, count: number, size = 64) {
  // The first send opens the forced lanes; pieces go on lane 0 until they are up.
  void t.m(A).send(B, piece(0, size), { anyLane: true });
  await t.settle();
  await Promise.all(Array.from({ length: count }, (_, i) => t.m(A).send(B, piece(i + 1, size), { anyLane: true })));
  await t.settle();
}

describe('mesh lanes', () => {
  it('spreads pieces over the forced lanes, each opened by the sender; every piece arrives once, JSON stays on lane 0', async () => {
    const t = await mesh([{ force: 3 }, { force: 0 }]);
    // Interleaved JSON must keep its order and its lane whatever the pieces do.
    const sent: Promise<void>[] = [];
    void t.m(A).send(B, piece(0), { anyLane: true });
    await t.settle();
    for (let i = 1; i <= 300; i++) {
      sent.push(t.m(A).send(B, piece(i, 40_000), { anyLane: true }));
      if (i % 30 === 0) sent.push(t.m(A).send(B, json(`note ${i / 30}`)));
    }
    await Promise.all(sent);
    await t.settle();
    const links = t.net.links(A, B);
    expect(links).toHaveLength(1 + MAX_LANES);
    const byLink = framesByLink(t.net, A, B);
    for (const link of links) expect(byLink.get(link)?.length ?? 0).toBeGreaterThan(0);
    // Every frame on a lane is sealed (no plaintext marker at byte 0 of a frame: the header's version is 1).
    for (const link of links.slice(1)) for (const f of byLink.get(link)!) expect(f[0]).toBe(1);
    const got = t.inbox.filter(([to]) => to === B).map(([, , d]) => d);
    expect(got.filter(laneable).map(pieceNo).sort((x, y) => x - y)).toEqual(Array.from({ length: 301 }, (_, i) => i));
    expect(got.filter((d) => !laneable(d)).map((d) => JSON.parse(new TextDecoder().decode(d)).s)).toEqual(Array.from({ length: 10 }, (_, i) => `note ${i + 1}`));
    expect(t.drops).toEqual([]);
    // B opened none toward A (its knob says 0).
    const stats = await t.m(A).laneStats();
    expect(Object.keys(stats[B]!).sort()).toEqual(['0', 'out-1', 'out-2', 'out-3']);
    expect(stats[B]!['out-2']!.bytesSent).toBeGreaterThan(0);
    expect(Object.keys((await t.m(B).laneStats())[A]!).sort()).toEqual(['0', 'in-1', 'in-2', 'in-3']);
  });

  it('each lane has its own key and counters: a frame replayed on its lane or moved to another is dropped and reported', async () => {
    const t = await mesh([{ force: 2 }, { force: 0 }]);
    await spread(t, 40);
    const links = t.net.links(A, B);
    const onLane1 = framesByLink(t.net, A, B).get(links[1]!)!;
    const frame = onLane1[0]!;
    const before = t.inbox.length;
    t.net.inject(A, B, frame, links[1]); // replayed on its own lane
    t.net.inject(A, B, frame, links[0]); // moved to lane 0
    t.net.inject(A, B, frame, links[2]); // moved to lane 2
    await t.settle();
    expect(t.drops.map(([to, from, reason]) => `${to}<${from}:${reason}`)).toHaveLength(3);
    expect(t.drops.every(([to, from, reason]) => to === B && from === A && ['replay', 'auth-failed', 'out-of-order'].includes(reason))).toBe(true);
    expect(t.drops.map(([, , r]) => r)[0]).toBe('replay');
    expect(t.inbox.length).toBe(before);
    // A moved frame whose counter is the one lane 0 expects next fails on its key, not its counter.
    const lane0Count = framesByLink(t.net, A, B).get(links[0]!)!.length;
    const forged = new Uint8Array(frame);
    new DataView(forged.buffer).setBigUint64(8, BigInt(lane0Count)); // header: version, 3 zeros, epoch, counter
    t.net.inject(A, B, forged, links[0]);
    await t.settle();
    expect(t.drops.at(-1)![2]).toBe('auth-failed');
    // The pair goes on.
    await t.m(A).send(B, json('still fine'));
    await t.settle();
    expect(new TextDecoder().decode(t.inbox.at(-1)![2])).toContain('still fine');
  });

  it('a receiver drops what is not bulk arriving on a lane (a hostile sender putting JSON there)', async () => {
    const t = await mesh([{ force: 1, laneable: () => true }, { force: 0 }]);
    await spread(t, 5);
    const before = t.inbox.length;
    for (let i = 0; i < 20; i++) void t.m(A).send(B, json(`sneaky ${i}`), { anyLane: true });
    await t.settle();
    const onLane = t.drops.filter(([, , r]) => r === 'lane-not-bulk').length;
    expect(onLane).toBeGreaterThan(0);
    expect(t.inbox.length - before + onLane).toBe(20);
  });

  it('no lane toward a peer that did not announce them; a lane offered to a member that takes none is refused', async () => {
    const quiet = await mesh([{ force: 3, peerAccepts: () => false }, { force: 0 }]);
    await spread(quiet, 20);
    expect(quiet.net.links(A, B)).toHaveLength(1);
    expect(quiet.inbox).toHaveLength(21);

    const refusing = await mesh([{ force: 3 }, { force: 0, accept: false }]);
    await spread(refusing, 20);
    await vi.waitFor(() => expect(refusing.drops.map(([to, , r]) => `${to}:${r}`)).toContain(`${B}:lane-refused`));
    expect(refusing.inbox).toHaveLength(21); // every piece went on lane 0
    expect(refusing.m(A).connected).toEqual([B]);
    // The lanes offered and never answered are given up after LANE_CONNECT_MS, quietly for the pair: it stays, on lane 0.
    refusing.clock.advance(LANE_CONNECT_MS);
    await refusing.settle();
    expect(refusing.drops.filter(([to, , r]) => to === A && r === 'lane-failed')).toHaveLength(3);
    expect(refusing.events).toEqual([]);
    expect(refusing.net.links(A, B)).toHaveLength(1);
    await refusing.m(A).send(B, piece(77), { anyLane: true });
    await refusing.settle();
    expect(refusing.inbox).toHaveLength(22);
  });

  it('refuses a lane over the cap, a malformed one, and one from a peer it has no channel with', async () => {
    const t = await mesh([{ force: 0 }, { force: 0 }, { force: 0 }]);
    const sealed = (from: string, to: string, body: string) => t.m(from).keys.sealSignal(to, LANE_ENVELOPE_TYPE, body);
    await t.m(B).receiveSignal(A, await sealed(A, B, JSON.stringify({ lane: MAX_LANES + 1, mine: true, data: '{}' })));
    await t.m(B).receiveSignal(A, await sealed(A, B, JSON.stringify({ lane: 0, mine: true, data: '{}' })));
    await t.m(B).receiveSignal(A, await sealed(A, B, JSON.stringify({ lane: 1, mine: false, data: '{}' })));
    t.m(B).disconnect(C);
    await t.settle();
    await t.m(B).receiveSignal(C, await sealed(C, B, JSON.stringify({ lane: 1, mine: true, data: '{}' })));
    expect(t.drops.filter(([to]) => to === B).map(([, , r]) => r)).toEqual(['lane-over-cap', 'lane-malformed', 'lane-unknown', 'unknown-peer']);
    expect(t.net.links(A, B)).toHaveLength(1);
  });

  it('toward a peer that does not mend (no lane-loss), a lane that closes takes the pair down on both sides, lanes and all', async () => {
    const t = await mesh([{ force: 2 }, { force: 0 }]);
    await spread(t, 20);
    const links = t.net.links(A, B);
    expect(links).toHaveLength(3);
    t.net.cut(A, B, links[2]);
    await t.settle();
    expect(t.events.sort()).toEqual([`${A}:down:${B}`, `${B}:down:${A}`]);
    expect(t.net.links(A, B)).toEqual([]);
    expect(t.m(A).connected).toEqual([]);
  });

  it('toward a peer that does not mend, a lane that takes nothing for STALL_MS while pieces wait on it takes the pair down as stalled', async () => {
    const t = await mesh([{ force: 2 }, { force: 0 }]);
    await spread(t, 20);
    const links = t.net.links(A, B);
    expect(links).toHaveLength(3);
    t.net.stopReadingLink(links[2]!); // lane 2's path goes silent; lane 0 and lane 1 still flow
    const sent = Array.from({ length: 60 }, (_, i) => t.m(A).send(B, piece(1000 + i, 40_000), { anyLane: true }));
    t.clock.advance(STALL_MS - 1);
    await t.settle();
    expect(t.events).toEqual([]); // lanes 0 and 1 drained, lane 2 has waited less than STALL_MS
    // The watch samples every STALL_MS / 4 from its last arming: a stall ends the peer within one more period.
    t.clock.advance(STALL_MS / 4 + 1);
    await t.settle();
    expect(t.events).toContain(`${A}:stalled:${B}:stalled`);
    expect(t.events).toContain(`${B}:down:${A}`);
    expect(t.m(A).connected).toEqual([]);
    expect(t.net.links(A, B)).toEqual([]);
    await Promise.all(sent); // every send resolves once the pair is gone: no caller waits forever
  });

  it('rotation covers lanes: pieces under a key not yet known wait on their lane, then all come', async () => {
    const t = await mesh([{ force: 3 }, { force: 0 }]);
    await spread(t, 30);
    const next = random.bytes(32);
    t.m(A).keys.adopt(1, next);
    const before = t.inbox.length;
    await Promise.all(Array.from({ length: 60 }, (_, i) => t.m(A).send(B, piece(100 + i, 30_000), { anyLane: true })));
    await t.settle();
    expect(t.inbox.length).toBe(before);
    t.m(B).keys.adopt(1, next);
    t.m(B).flushPending();
    await vi.waitFor(() => expect(t.inbox.slice(before).map(([, , d]) => pieceNo(d)).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => 100 + i)), { timeout: 10_000 });
    const links = t.net.links(A, B);
    const late = framesByLink(t.net, A, B);
    expect(links.filter((l) => late.get(l)!.some((f) => f[7] === 1)).length).toBeGreaterThan(1); // epoch 1 frames on several lanes
    expect(t.drops).toEqual([]);
  });

  it('adaptive: while lane 0 stays full it opens a lane only on a path with a round trip, never on loopback', async () => {
    for (const [rtt, lanes] of [[0, 1], [40, 2]] as const) {
      const t = await mesh([{}, {}]);
      t.net.roundTripMs = rtt;
      t.net.stopReading(B); // the channel fills and stays full: frames wait in the outbox
      for (let i = 0; i < 120; i++) void t.m(A).send(B, piece(i, 60_000), { anyLane: true });
      await t.settle();
      expect(t.m(A).held(B).queued).toBeGreaterThan(0);
      t.clock.advance(LANE_PATIENCE_MS);
      await t.settle();
      void t.m(A).send(B, piece(999), { anyLane: true });
      await t.settle();
      expect(t.net.links(A, B)).toHaveLength(lanes);
      t.net.resumeReading(B);
      await t.settle();
      expect(t.inbox.filter(([to]) => to === B)).toHaveLength(121);
    }
  });

  it('adaptive: a lane that does not raise the pair rate by LANE_MIN_GAIN is the last one opened', async () => {
    const t = await mesh([{}, {}]);
    t.net.roundTripMs = 40;
    let n = 0;
    /** Fills the pair's channels (B does not read), `count` pieces of 60 kB. */
    const fill = async (count: number) => {
      t.net.stopReading(B);
      for (let i = 0; i < count; i++) void t.m(A).send(B, piece(n++, 60_000), { anyLane: true });
      await t.settle();
    };
    /** One patience window: `extra` more pieces queued, and all that waits drained meanwhile if `extra` (then full again). */
    const window = async (extra: number) => {
      await fill(20 + extra); // arms the window (if not armed yet) while every channel is full
      if (extra > 0) {
        t.net.resumeReading(B);
        await t.settle();
        await fill(20);
      }
      t.clock.advance(LANE_PATIENCE_MS);
      await t.settle();
      void t.m(A).send(B, piece(n++), { anyLane: true }); // the lane, once up, takes pieces
      await t.settle();
    };
    await fill(100);
    await window(100); // the path moved bytes: lane 1 opens
    expect(t.net.links(A, B)).toHaveLength(2);
    await window(0); // nothing moved with lane 1 in the window: no gain, no lane 2
    expect(t.net.links(A, B)).toHaveLength(2);
    await window(400); // about twice what opened lane 1 drained: lane 2 opens
    expect(t.net.links(A, B)).toHaveLength(3);
    t.net.resumeReading(B);
    await t.settle();
    expect(t.inbox.filter(([to]) => to === B)).toHaveLength(n);
    expect(t.drops).toEqual([]);
  });

  it('farewell: nothing more goes out on lanes after bye, and the peer closing on bye closes every lane', async () => {
    const t = await mesh([{ force: 2 }, { force: 0 }]);
    await spread(t, 10);
    t.m(B).on('message', (from, data) => !laneable(data) && t.m(B).disconnect(from));
    await t.m(A).farewell(json('bye'), 60_000);
    void t.m(A).send(B, piece(500), { anyLane: true });
    await t.settle();
    expect(t.net.links(A, B)).toEqual([]);
    expect(t.inbox.filter(([, , d]) => laneable(d) && pieceNo(d) === 500)).toEqual([]);
  });

  describe('between members that mend (lane-loss): a lost lane goes alone', () => {
    const mends: Partial<LanePolicy> = { peerMends: () => true };

    it('a lane that closes after carrying pieces: the pair stays up, each side reports it once, no lane opens again, pieces flow on the rest', async () => {
      const t = await mesh([{ force: 2, ...mends }, { force: 0, ...mends }]);
      await spread(t, 30);
      const links = t.net.links(A, B);
      expect(links).toHaveLength(3);
      expect(framesByLink(t.net, A, B).get(links[2]!)!.length).toBeGreaterThan(0);
      t.net.cut(A, B, links[2]);
      await t.settle();
      expect(t.events).toEqual([]);
      expect(t.m(A).connected).toEqual([B]);
      expect(t.lost.sort()).toEqual([`${A}:lost:out-2`, `${B}:lost:in-2`]);
      expect(t.m(A).lanesLost + t.m(B).lanesLost).toBe(2);
      // The knob would now open a third lane: after a loss the pair opens none (and never numbers one 2 again).
      t.policy(A).force = 3;
      const before = t.inbox.length;
      await Promise.all(Array.from({ length: 60 }, (_, i) => t.m(A).send(B, piece(1000 + i, 40_000), { anyLane: true })));
      await t.settle();
      expect(t.inbox.slice(before).map(([, , d]) => pieceNo(d)).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => 1000 + i));
      expect(t.net.links(A, B)).toEqual([links[0], links[1]]);
      expect(t.drops).toEqual([]);
    });

    it('the receiver sees it first: its notice on lane 0 closes the lane at the sender before what it asks next is read, so no later piece goes there', async () => {
      const t = await mesh([{ force: 2, ...mends }, { force: 0, ...mends }]);
      await spread(t, 20);
      const links = t.net.links(A, B);
      // B asks again as soon as it reports the loss; A answers with pieces on any lane.
      t.m(B).on('lane', (_peer, _lane, what) => what === 'lost' && void t.m(B).send(A, json('ask again')));
      t.m(A).on('message', (_from, data) => {
        if (!laneable(data)) for (let i = 0; i < 40; i++) void t.m(A).send(B, piece(2000 + i, 40_000), { anyLane: true });
      });
      // Only B's end fails: A's stays open, and what A would put on it goes nowhere.
      t.net.closeEnd(B, links[2]!);
      await t.settle();
      expect(t.inbox.filter(([to, , d]) => to === B && laneable(d) && pieceNo(d) >= 2000)).toHaveLength(40);
      expect(t.lost.sort()).toEqual([`${A}:lost:out-2`, `${B}:lost:in-2`]);
      expect(t.events).toEqual([]);
      expect(t.net.links(A, B)).toEqual([links[0], links[1]]);
    });

    it('a lane that stalls is lost alone: its unsent pieces are dropped, the receiver hears of it, every sender is released', async () => {
      const t = await mesh([{ force: 2, ...mends }, { force: 0, ...mends }]);
      await spread(t, 20);
      const links = t.net.links(A, B);
      t.net.stopReadingLink(links[2]!);
      const sent = Array.from({ length: 60 }, (_, i) => t.m(A).send(B, piece(1000 + i, 40_000), { anyLane: true }));
      t.clock.advance(STALL_MS - 1);
      await t.settle();
      t.clock.advance(STALL_MS / 4 + 1);
      await t.settle();
      await Promise.all(sent);
      expect(t.events).toEqual([]);
      expect(t.lost.sort()).toEqual([`${A}:lost:out-2`, `${B}:lost:in-2`]);
      expect(t.m(A).connected).toEqual([B]);
      const before = t.inbox.length;
      await Promise.all(Array.from({ length: 30 }, (_, i) => t.m(A).send(B, piece(3000 + i, 40_000), { anyLane: true })));
      await t.settle();
      expect(t.inbox.length - before).toBe(30);
    });

    it('notices are checked: malformed or for no lane of ours is reported; one for a number not yet offered keeps that number from being taken; repeats count once', async () => {
      const t = await mesh([{ force: 0, ...mends }, { force: 0, ...mends }]);
      await t.m(A).send(B, Uint8Array.of(2, 1, 1, 9)); // lane 9: over the cap
      await t.m(A).send(B, Uint8Array.of(2, 7, 1, 1)); // an op this member does not read
      await t.m(A).send(B, encodeLaneNotice({ lane: 1, mine: false })); // "B's lane 1", which B never opened
      await t.m(A).send(B, encodeLaneNotice({ lane: 3, mine: true })); // A's lane 3, before A offered it
      await t.settle();
      expect(t.drops.map(([to, , r]) => `${to}:${r}`)).toEqual([`${B}:lane-notice-malformed`, `${B}:lane-notice-malformed`, `${B}:lane-unknown`]);
      expect(t.inbox).toEqual([]); // notices are the mesh's own: none reaches the session
      t.policy(A).force = 3;
      t.m(A).considerLanes(B);
      await t.settle();
      t.clock.advance(LANE_CONNECT_MS);
      await t.settle();
      expect(t.lost).toEqual([`${A}:failed:out-3`]); // lanes 1 and 2 came up; B never took lane 3
      expect(t.net.links(A, B)).toHaveLength(3);
      for (let i = 0; i < 3; i++) await t.m(A).send(B, encodeLaneNotice({ lane: 1, mine: true }));
      await t.settle();
      expect(t.lost).toEqual([`${A}:failed:out-3`, `${B}:lost:in-1`, `${A}:lost:out-1`]);
      expect(t.m(A).connected).toEqual([B]);
      expect(t.events).toEqual([]);
      t.m(B).close(); // lanes lost, failed and never taken close with the pair
      await t.settle();
      expect(t.net.links(A, B)).toEqual([]);
    });
  });
});

