import { describe, expect, it } from 'vitest';
import { cloudMembers, inventoryAll, syncAll, until, type MeshMember } from '../../../signaling/testing/cloud-members.ts';
import { MemFs } from '../../testing/memfs.ts';

type M = MeshMember<MemFs>;

/** The leader orders an undo; resolves once every member holds every member's outcome of it. */
async function undoAll(all: readonly M[]): Promise<string> {
  const order = await all[0]!.run.undo.order();
  await until(() => all.every((m) => m.run.undo.current?.id === order && m.run.undo.current.results.size === all.length));
  return order;
}

describe('cloud "Undo last run": the leader orders, each member undoes its own folders', () => {
  it('undoes a Mirror that replaced, deleted and created on B only, leaves C’s earlier run alone, and can undo the undo', async () => {
    const a = MemFs.from({ 'r.txt': 'new r', 'n.txt': 'n', new: { 'a.txt': 'a' } }, { name: 'A' });
    const b = MemFs.from({ 'r.txt': 'old r', 'd.txt': 'd', old: { 'o.txt': 'o' } }, { name: 'B' });
    const c = new MemFs({ name: 'C' });
    const all = await cloudMembers([a, b, c]);
    const [ma, mb, mc] = all as [M, M, M];
    await inventoryAll(all);
    await syncAll(all, ma.run.planPreset({ kind: 'mirror', from: 'A1', to: 'C1' }));
    const cAfter = c.snapshot({ exclude: ['.quintet'] });
    const bBefore = b.snapshot({ exclude: ['.quintet'] });
    await inventoryAll(all);
    await syncAll(all, ma.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    const bAfter = b.snapshot({ exclude: ['.quintet'] });
    expect(bAfter).toEqual(a.snapshot({ exclude: ['.quintet'] }));

    await undoAll(all);
    expect(b.snapshot({ exclude: ['.quintet'] })).toEqual(bBefore);
    expect(c.snapshot({ exclude: ['.quintet'] })).toEqual(cAfter); // C's mirror was not the last run
    // Every page holds every member's outcome, about its own folders.
    for (const m of all) {
      const outcome = m.run.undo.current!.results;
      const ofB = outcome.get(mb.session.self)!.sources;
      expect(ofB.map((s) => s.code)).toEqual(['B1']);
      expect([...ofB[0]!.restored].sort()).toEqual(['d.txt', 'old', 'r.txt']);
      expect([...ofB[0]!.removed].sort()).toEqual(['n.txt', 'new', 'new/a.txt']);
      expect(ofB[0]!.leftAlone).toEqual([]);
      expect(outcome.get(mc.session.self)!.sources.flatMap((s) => [...s.restored, ...s.removed])).toEqual([]);
    }
    // B's comparison is stale now: its round was dropped; A inventories again before any plan.
    expect(mb.run.state).toBe('idle');

    await undoAll(all); // the last run is now the undo
    expect(b.snapshot({ exclude: ['.quintet'] })).toEqual(bAfter);
  }, 60_000);

  it('lists what changed since and leaves it alone', async () => {
    const a = MemFs.from({ 'r.txt': 'new r', 's.txt': 'new s' }, { name: 'A' });
    const b = MemFs.from({ 'r.txt': 'old r', 's.txt': 'old s' }, { name: 'B' });
    const all = await cloudMembers([a, b]);
    const [ma, mb] = all as [M, M];
    await inventoryAll(all);
    await syncAll(all, ma.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    b.writeFile('s.txt', 'edited on B after the run');
    await undoAll(all);
    const ofB = ma.run.undo.current!.results.get(mb.session.self)!.sources[0]!;
    expect(ofB).toMatchObject({ restored: ['r.txt'], leftAlone: [{ path: 's.txt', reason: 'changed' }] });
    expect(new TextDecoder().decode(b.readFile('s.txt'))).toBe('edited on B after the run');
  }, 60_000);

  it('only the leader may order it', async () => {
    const all = await cloudMembers([new MemFs({ name: 'A' }), new MemFs({ name: 'B' })]);
    await expect(all[1]!.run.undo.order()).rejects.toThrow(/only the leader/);
    await expect(all[0]!.run.undo.order()).rejects.toThrow(/no run to undo/);
  }, 30_000);
  it('after undoing a Two-way, the next Two-way keeps the edit in place and both contents (the base forgot the undone rows)', async () => {
    const a = MemFs.from({ 'f.txt': 'old' }, { name: 'A' });
    const b = MemFs.from({ 'f.txt': 'old' }, { name: 'B' });
    const all = await cloudMembers([a, b]);
    const [ma] = all as [M, M];
    await inventoryAll(all);
    await syncAll(all, ma.run.planPreset({ kind: 'two-way' })); // the base: f.txt = old on both
    a.writeFile('f.txt', 'edit on A', Date.now() + 5000);
    await inventoryAll(all);
    await syncAll(all, ma.run.planPreset({ kind: 'two-way' }));
    expect(new TextDecoder().decode(b.readFile('f.txt'))).toBe('edit on A');
    await undoAll(all);
    expect(new TextDecoder().decode(b.readFile('f.txt'))).toBe('old');
    await inventoryAll(all);
    await syncAll(all, ma.run.planPreset({ kind: 'two-way' }));
    // Without forgetting, B's old f.txt read as B's edit and went over A's edit; now the two differ with no base: both kept.
    expect(new TextDecoder().decode(a.readFile('f.txt'))).toBe('edit on A');
    const texts = (fs: MemFs) => Object.values(fs.snapshot({ exclude: ['.quintet'] })).map((x) => new TextDecoder().decode(x ?? new Uint8Array())).sort();
    expect(texts(a)).toEqual(['edit on A', 'old']);
    expect(texts(b)).toEqual(['edit on A', 'old']);
  }, 60_000);
});
