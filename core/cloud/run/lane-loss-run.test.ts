/** A cloud run whose owner's lane is lost mid-file (docs/protocol.md §8 Lanes, Failure): the run still completes, byte for byte, and nobody leaves. */
import { describe, expect, it } from 'vitest';
import { inMemoryWorld } from '../../../signaling/testing/in-memory-world.ts';
import { cloudMembers, inventoryAll, until } from '../../../signaling/testing/cloud-members.ts';
import { MemFs } from '../../testing/memfs.ts';
import { patternBytes } from '../../testing/bytes.ts';
import { LANE_LOSS, MEMBER_FEATURES } from '../../protocol/mesh-messages.ts';

/** A (the owner, three lanes forced) mirrors 12 MB to B; `features(i)`: what each announces. */
async function mirrorLosingALane(features: (i: number) => readonly string[] | undefined) {
  const world = inMemoryWorld();
  const big = patternBytes(12_000_000, 4);
  const a = MemFs.from({ 'big.bin': big, 'small.txt': 'small' }, { name: 'A' });
  const b = new MemFs({ name: 'B' });
  const all = await cloudMembers([a, b], { world, features, lanes: (i) => (i === 0 ? 3 : 0) });
  const [ma, mb] = all as [(typeof all)[0], (typeof all)[0]];
  const lost: string[] = [];
  for (const m of all) m.session.mesh.on('lane', (_peer, lane, what) => what === 'lost' && lost.push(`${m.session.self === ma.session.self ? 'A' : 'B'}:${lane}`));
  await until(() => world.net.links(ma.session.self, mb.session.self).length === 4);
  await inventoryAll(all);
  // Lane 2 goes after it carried a few pieces, as a connection on a starved core or a lost path does.
  const lane2 = world.net.links(ma.session.self, mb.session.self)[2]!;
  let carried = 0;
  world.net.tap = (_from, _to, frame, link) => {
    if (link === lane2 && ++carried === 4) queueMicrotask(() => world.net.cut(ma.session.self, mb.session.self, lane2));
    return frame;
  };
  const plan = ma.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' });
  await ma.run.synchronize(plan);
  return {
    a, b, big, all, ma, mb, lost,
    /** Frames lane 2 delivered before it went. */
    get carried() {
      return carried;
    },
  };
}

describe('Cloud run with lanes: a lane lost mid-file', () => {
  it('between members that announce lane-loss: every file arrives, nobody leaves, the loss is reported on both sides and the blocks asked again', async () => {
    const t = await mirrorLosingALane(() => undefined);
    await until(() => t.all.every((m) => m.run.state === 'done' && m.run.results.size === 2), 60_000);
    expect(t.carried).toBeGreaterThanOrEqual(4);
    expect(t.mb.run.results.get(t.mb.session.self)!.failed).toEqual([]);
    expect(Buffer.from(t.b.readFile('big.bin')!).equals(Buffer.from(t.big))).toBe(true);
    expect(t.ma.session.members.every((m) => m.connected)).toBe(true);
    expect(t.mb.session.members).toHaveLength(2);
    expect(t.lost.sort()).toEqual(['A:out-2', 'B:in-2']);
    expect(t.mb.run.counters.reasked).toBeGreaterThan(0);
  }, 90_000);

  it('toward an owner from before lane-loss, the loss takes the pair down as it did: B’s copy fails, it is not silently short', async () => {
    const t = await mirrorLosingALane((i) => (i === 0 ? MEMBER_FEATURES.filter((f) => f !== LANE_LOSS) : undefined));
    await until(() => t.lost.length === 2 && (!t.ma.session.members.every((m) => m.connected) || t.mb.session.members.length < 2), 30_000);
    expect(t.lost.sort()).toEqual(['A:out-2', 'B:in-2']);
    expect(t.b.readFile('big.bin') === undefined || !Buffer.from(t.b.readFile('big.bin')!).equals(Buffer.from(t.big))).toBe(true);
  }, 90_000);
});
