/** Rounds started by hand in a Cloud Session look again only at what each member's observer reported (docs/protocol.md §3.1). */
import { describe, expect, it } from 'vitest';
import { inMemoryWorld } from '../../../signaling/testing/in-memory-world.ts';
import { cloudMembers, syncAll, until } from '../../../signaling/testing/cloud-members.ts';
import { MemFs } from '../../testing/memfs.ts';
import { ManualObserver } from '../../testing/manual-observer.ts';
import { INVENTORY_WHOLE, MEMBER_FEATURES } from '../../protocol/mesh-messages.ts';

type Member = Awaited<ReturnType<typeof cloudMembers<MemFs>>>[number];

/** A round by hand that every member has compared anew (a comparison other than the one before, not only the state). */
async function round(all: readonly Member[], id: string, scope?: 'whole'): Promise<void> {
  const before = all.map((m) => m.run.comparison);
  await all[0]!.session.startInventory(id, scope);
  await until(() => all.every((m, i) => m.run.state === 'compared' && m.run.comparison !== before[i]));
}

describe('cloud rounds with observers', () => {
  it('a member walks only what its observer reported, the others see its change, and its own writes are looked at again', async () => {
    const tree: Record<string, Record<string, string>> = {};
    for (const d of ['a', 'b']) tree[d] = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}.txt`, `${d}${i}`]));
    const a = MemFs.from(tree, { name: 'A' });
    const b = MemFs.from({ old: 'x' }, { name: 'B' });
    const observers = [new ManualObserver(), new ManualObserver()];
    const all = await cloudMembers([a, b], { world: inMemoryWorld(), observer: (i) => observers[i] });
    observers[0]!.live(a);
    observers[1]!.live(b);
    await round(all, 'r1');
    expect(all.map((m) => m.run.walkOf(`src-${all.indexOf(m)}`))).toEqual(['whole', 'whole']);

    a.writeFile('a/f1.txt', 'edited on A, outside');
    observers[0]!.changed(a, 'a/f1.txt');
    const stats = a.counts.stat;
    await round(all, 'r2');
    expect(all.map((m, i) => m.run.walkOf(`src-${i}`))).toEqual(['partial', 'partial']);
    expect(all.map((m) => m.run.observedOnly)).toEqual([['A1'], ['B1']]);
    expect(a.counts.stat - stats).toBe(1);
    const row = all[1]!.run.comparison?.rows.find((r) => r.path === 'a/f1.txt');
    expect(row?.cells.A1).toMatchObject({ size: 'edited on A, outside'.length });

    await syncAll(all, all[0]!.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    expect(all[1]!.run.results.get(all[1]!.session.self)?.failed).toEqual([]);
    // B's observer reports none of B's writes: B's own notes of its share make the next walk see them.
    await round(all, 'r3');
    expect(all[1]!.run.walkOf('src-1')).toBe('partial');
    expect(all[1]!.run.comparison?.rows.every((r) => r.status === 'identical')).toBe(true);
    expect(all[1]!.run.comparison?.rows.filter((r) => r.cells.B1?.kind === 'file')).toHaveLength(20);
    // The leader asks for every file again: each member walks whole, whatever its observer reported.
    await round(all, 'r4', 'whole');
    expect(all.map((m, i) => m.run.walkOf(`src-${i}`))).toEqual(['whole', 'whole']);
    expect(all.map((m) => m.run.observedOnly)).toEqual([[], []]);
    await round(all, 'r5');
    expect(all.map((m, i) => m.run.walkOf(`src-${i}`))).toEqual(['partial', 'partial']);
    // Leaving the session stops the member's observer.
    expect(observers[1]!.started.map((e) => e.stopped)).toEqual([false]);
    await all[1]!.session.exit();
    await until(() => observers[1]!.started.every((e) => e.stopped));
  });

  it('a leader that does not mark whole rounds (no inventory-whole: an older version) has every round walked whole', async () => {
    const a = MemFs.from({ a: { 'f.txt': 'a' } }, { name: 'A' });
    const b = MemFs.from({ b: { 'g.txt': 'b' } }, { name: 'B' });
    const observers = [new ManualObserver(), new ManualObserver()];
    const older = MEMBER_FEATURES.filter((f) => f !== INVENTORY_WHOLE);
    const all = await cloudMembers([a, b], { world: inMemoryWorld(), observer: (i) => observers[i], features: (i) => (i === 0 ? older : undefined) });
    observers[0]!.live(a);
    observers[1]!.live(b);
    await round(all, 'r1');
    await round(all, 'r2');
    // The leader itself walks partially (it knows what it meant); the member cannot tell a full round from one by hand.
    expect(all.map((m, i) => m.run.walkOf(`src-${i}`))).toEqual(['partial', 'whole']);
  });
});
