/**
 * Rounds started by hand (continuous synchronization off): with two sources, one emptied or unlistable makes A's plan
 * refused, so no plan ever reaches the members. A's `left-out` message tells them why (docs/protocol.md §12), once per
 * change, and once when the source is back.
 */
import { describe, expect, it } from 'vitest';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { until } from '../../signaling/testing/cloud-members.ts';
import { nodeCompressor } from '../../adapters/node/compressor.ts';
import { memberPair } from './member-pair.fixture.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import type { CloudMemberPorts } from '../cloud/member.ts';
import { LEFT_OUT, MEMBER_FEATURES } from '../protocol/mesh-messages.ts';

const tree = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}.txt`, `file ${i}`]));

/** A (12 files) and B (empty), one folder each, a first Two-way by hand done (B holds the twelve files). */
async function pairInSync(bFeatures?: readonly string[]) {
  const world = inMemoryWorld();
  const ports = (name: string): CloudMemberPorts => ({ deps: world.deps(name), hasher: new NobleHasher(), store: new MemoryStore(), compressor: nodeCompressor });
  const { a, b, A, B, connected } = await memberPair(ports, tree, bFeatures);
  await connected();
  const said: string[] = [];
  for (const [name, m] of [['A', A], ['B', B]] as const) m.continuous.on('left-out', (code, why) => said.push(`${name} ${code} ${why}`));
  const round = async () => {
    await A.startInventory();
    await until(() => [A, B].every((m) => m.run.state === 'compared'));
    return A.run.planPreset({ kind: 'two-way' });
  };
  await A.run.synchronize(await round());
  await until(() => [A, B].every((m) => m.run.state === 'done' && m.run.results.size === 2));
  expect(Object.keys(b.snapshot({ exclude: ['.quintet'] }))).toHaveLength(12);
  return { a, b, A, B, said, round };
}

describe('sources left out of a round started by hand, as every member learns it', () => {
  it('B emptied: A’s Two-way is refused, B hears why from A (once), then that B1 is back', async () => {
    const { a, b, A, B, said, round } = await pairInSync();
    const mounted = b.snapshot({ exclude: ['.quintet'] });
    for (const path of Object.keys(mounted)) b.delete(path);
    const plan = await round();
    expect([plan.actions.length, plan.refusals]).toEqual([0, [{ path: '', reason: 'emptied', detail: 'B1' }]]);
    await until(() => B.continuous.leftOut.get('B1') === 'emptied');
    expect(A.continuous.leftOut.get('B1')).toBe('emptied');
    await round(); // still emptied: not said again
    expect(said.sort()).toEqual(['A B1 emptied', 'B B1 emptied']);
    expect(Object.keys(a.snapshot({ exclude: ['.quintet'] }))).toHaveLength(12);

    for (const [path, bytes] of Object.entries(mounted)) if (bytes) b.writeFile(path, bytes);
    await round();
    await until(() => B.continuous.leftOut.size === 0);
    expect(A.continuous.leftOut.size).toBe(0);
    expect(said.filter((s) => s.endsWith('null')).sort()).toEqual(['A B1 null', 'B B1 null']);
    for (const m of [A, B]) await m.exit();
  }, 60_000);

  it('B’s root cannot be listed: B hears it is left out as unreadable; a member from before is sent nothing', async () => {
    const { b, A, B, round } = await pairInSync();
    b.failAlways('list', '', 'not-found');
    expect((await round()).actions).toEqual([]);
    await until(() => B.continuous.leftOut.get('B1') === 'unreadable');
    for (const m of [A, B]) await m.exit();

    const old = await pairInSync(MEMBER_FEATURES.filter((f) => f !== LEFT_OUT));
    const dropped: string[] = [];
    old.B.session.on('dropped', (_from, reason) => dropped.push(reason));
    old.b.failAlways('list', '', 'not-found');
    await old.round();
    expect(old.A.continuous.leftOut.get('B1')).toBe('unreadable');
    expect([old.B.continuous.leftOut.size, dropped]).toEqual([0, []]);
    for (const m of [old.A, old.B]) await m.exit();
  }, 60_000);

});
