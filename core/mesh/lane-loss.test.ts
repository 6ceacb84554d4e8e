/** A lane lost between members that mend it (feature lane-loss, docs/protocol.md §8 Lanes, Failure): it goes alone, the pair stays. */
import { describe, expect, it } from 'vitest';
import { STALL_MS } from './outbox.ts';
import { LANE_CONNECT_MS, type LanePolicy } from './lanes.ts';
import { encodeLaneNotice } from './lane-notice.ts';
import { A, B, framesByLink, json, laneable, mesh, piece, pieceNo, spread } from './lanes.fixture.ts';

describe('mesh lanes', () => {
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
