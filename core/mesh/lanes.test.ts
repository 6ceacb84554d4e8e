/** Lanes of the mesh (docs/protocol.md §8 Lanes): spreading, keys, refusals, the adaptive gate, and the older rule toward members that do not mend a lost lane. */
import { describe, expect, it, vi } from 'vitest';
import { STALL_MS } from './outbox.ts';
import { LANE_CONNECT_MS, LANE_ENVELOPE_TYPE, LANE_PATIENCE_MS, LANE_RETIRE_WINDOWS, LANE_SETTLE_WINDOWS, MAX_LANES, laneStep } from './lanes.ts';
import { A, B, C, framesByLink, json, laneable, mesh, piece, pieceNo, random, spread } from './lanes.fixture.ts';

/**
 * Patience windows of the adaptive rule between A and B (B's reading switched off and on): `fill` sends `count` pieces
 * of 60 kB that wait (B does not read), `window` runs one LANE_PATIENCE_MS window in which `extra` more pieces are
 * queued and, if `extra`, everything waiting drains (then the channels are full again); `sent` counts the pieces.
 */
function patience(t: Awaited<ReturnType<typeof mesh>>) {
  let n = 0;
  const fill = async (count: number) => {
    t.net.stopReading(B);
    for (let i = 0; i < count; i++) void t.m(A).send(B, piece(n++, 60_000), { anyLane: true });
    await t.settle();
  };
  const window = async (extra: number) => {
    await fill(60 + extra); // arms the window (if not armed yet) while every channel is full
    if (extra > 0) {
      t.net.resumeReading(B);
      await t.settle();
      await fill(60);
    }
    t.clock.advance(LANE_PATIENCE_MS);
    await t.settle();
    void t.m(A).send(B, piece(n++), { anyLane: true }); // the lane, once up, takes pieces
    await t.settle();
  };
  return { fill, window, sent: () => n };
}

/** A pair on a 40 ms path whose first lane has just opened: the pair's first full window is not measured, the next opens it. */
async function firstLaneOpen() {
  const t = await mesh([{}, {}]);
  t.net.roundTripMs = 40;
  const { fill, window, sent } = patience(t);
  await fill(100);
  await window(100); // the pair's first full window: not measured (LANE_SETTLE_WINDOWS)
  expect(t.net.links(A, B)).toHaveLength(1);
  await window(100); // the path moved bytes: lane 1 opens
  expect(t.net.links(A, B)).toHaveLength(2);
  return { t, window, sent };
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
    // Each check runs on Node's thread pool: on a loaded machine a quiet spell can come before the last one is over.
    await vi.waitFor(() => expect(t.drops).toHaveLength(3), { timeout: 20_000, interval: 5 });
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
    await vi.waitFor(() => expect(t.drops).toHaveLength(4), { timeout: 20_000, interval: 5 });
    expect(t.drops.at(-1)![2]).toBe('auth-failed');
    // The pair goes on.
    await t.m(A).send(B, json('still fine'));
    await vi.waitFor(() => expect(new TextDecoder().decode(t.inbox.at(-1)![2])).toContain('still fine'), { timeout: 20_000, interval: 5 });
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
      // The pair's first full windows are not measured (LANE_SETTLE_WINDOWS: a fresh connection's burst); the next is.
      for (let w = 0; w <= LANE_SETTLE_WINDOWS; w++) {
        expect(t.net.links(A, B)).toHaveLength(1);
        t.clock.advance(LANE_PATIENCE_MS);
        await t.settle();
        void t.m(A).send(B, piece(999 + w), { anyLane: true });
        await t.settle();
      }
      expect(t.net.links(A, B)).toHaveLength(lanes);
      t.net.resumeReading(B);
      await t.settle();
      expect(t.inbox.filter(([to]) => to === B)).toHaveLength(121 + LANE_SETTLE_WINDOWS);
    }
  });

  it('adaptive: a lane that does not raise the pair rate by LANE_MIN_GAIN is the last one opened', async () => {
    const { t, window, sent } = await firstLaneOpen();
    await window(0); // nothing moved with lane 1 in the window: no gain, no lane 2
    expect(t.net.links(A, B)).toHaveLength(2);
    await window(400); // about twice what opened lane 1 drained: lane 2 opens
    expect(t.net.links(A, B)).toHaveLength(3);
    t.net.resumeReading(B);
    await t.settle();
    expect(t.inbox.filter(([to]) => to === B)).toHaveLength(sent());
    expect(t.drops).toEqual([]);
  });

  it('adaptive: the first full window after a lane connects (its burst into a fresh association) is not measured', async () => {
    const { t, window, sent } = await firstLaneOpen();
    await window(400); // lane 1 connects during this one: the pair has no full window yet
    // The first full window since: four times what opened lane 1 left the channels. Measured, it would open lane 2.
    expect(LANE_SETTLE_WINDOWS).toBe(1);
    await window(400);
    expect(t.net.links(A, B)).toHaveLength(2);
    await window(400); // settled: the same gain now opens lane 2
    expect(t.net.links(A, B)).toHaveLength(3);
    t.net.resumeReading(B);
    await t.settle();
    expect(t.inbox.filter(([to]) => to === B)).toHaveLength(sent());
    expect(t.drops).toEqual([]);
  });

  it('laneStep: opens on the first window and on a gain; counts slow windows, starts again on one in between, retires at LANE_RETIRE_WINDOWS', () => {
    expect(laneStep(100, null, 0)).toEqual({ open: true, slow: 0, retire: false });
    expect(laneStep(120, 100, 2)).toEqual({ open: true, slow: 0, retire: false });
    expect(laneStep(119, 100, 0)).toEqual({ open: false, slow: 0, retire: false });
    expect(laneStep(79, 100, 0)).toEqual({ open: false, slow: 1, retire: false });
    expect(laneStep(90, 100, LANE_RETIRE_WINDOWS - 1)).toEqual({ open: false, slow: 0, retire: false }); // back near the opening rate
    expect(laneStep(79, 100, LANE_RETIRE_WINDOWS - 2)).toEqual({ open: false, slow: LANE_RETIRE_WINDOWS - 1, retire: false });
    expect(laneStep(79, 100, LANE_RETIRE_WINDOWS - 1)).toEqual({ open: false, slow: LANE_RETIRE_WINDOWS, retire: true });
  });

  it('adaptive: the last lane is retired after LANE_RETIRE_WINDOWS measured windows slower than before it opened, not after fewer', async () => {
    const t = await mesh([{}, {}]);
    t.net.roundTripMs = 40;
    const events: string[] = [];
    t.m(A).on('lane', (_peer, lane, what) => events.push(`${lane}:${what}`));
    const { fill, window, sent } = patience(t);
    await fill(100);
    await window(100); // the pair's first full window: not measured (LANE_SETTLE_WINDOWS)
    expect(t.net.links(A, B)).toHaveLength(1);
    await window(100); // lane 1 opens
    const links = t.net.links(A, B);
    expect(links).toHaveLength(2);
    await window(0); // lane 1's first burst: not measured (LANE_SETTLE_WINDOWS), slow as it is
    for (let i = 0; i < LANE_RETIRE_WINDOWS - 1; i++) await window(0); // slower, but not yet long enough
    expect(events).not.toContain('out-1:retired');
    await window(0); // LANE_RETIRE_WINDOWS slow windows in a row
    expect(events).toContain('out-1:retired');
    t.net.resumeReading(B);
    await t.settle();
    // Lane 0 alone again takes lane 0's own marks: 3.6 MB wait in its channel, none behind it (at the lanes' 2 MiB
    // mark most would wait in the outbox).
    t.net.stopReading(B);
    await fill(60);
    expect(t.m(A).held(B).queued).toBe(0);
    t.net.resumeReading(B);
    await t.settle();
    const onLane1 = framesByLink(t.net, A, B).get(links[1]!)!.length;
    await window(400); // even a faster window opens nothing more, and the retired lane takes no more pieces
    t.net.resumeReading(B);
    await t.settle();
    expect(t.net.links(A, B)).toEqual(links);
    expect(framesByLink(t.net, A, B).get(links[1]!)!.length).toBe(onLane1);
    expect(t.inbox.filter(([to]) => to === B)).toHaveLength(sent());
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
});
