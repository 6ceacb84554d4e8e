/** Hostile member, finding 5: C reports B's actions as done; the leader's base and the next two-way plan ignore it. */
import { describe, expect, it } from 'vitest';
import { cloudMembers, inventoryAll, syncAll, type MeshMember } from '../../signaling/testing/cloud-members.ts';
import { MemFs } from '../testing/memfs.ts';
import { loadBase, profileId } from '../base/base-store.ts';

describe('hostile member — finding 5: a run-result counts only for actions whose target is its sender’s', () => {
  it('C claims B’s failed copy as done: A’s base keeps no trace of it, and the next two-way copies to B instead of deleting everywhere', async () => {
    const a = MemFs.from({ 'only-copy.txt': 'the only copy of this file' }, { name: 'A' });
    const [b, c] = [new MemFs({ name: 'B' }), new MemFs({ name: 'C' })];
    const all = await cloudMembers([a, b, c]);
    const [ma, mb, mc] = all as [MeshMember<MemFs>, MeshMember<MemFs>, MeshMember<MemFs>];
    const problems: string[] = [];
    ma.run.on('problem', (p) => problems.push(p));

    b.failAlways('commit', undefined, 'io'); // B's disk refuses the write: its copy fails, honestly reported
    await inventoryAll(all);
    const plan = ma.run.planPreset({ kind: 'two-way' }); // no base yet: a union, A1's file to B1 and C1
    const forB = plan.actions.flatMap((x, i) => (x.target === 'B1' ? [i] : []));
    expect(forB).toHaveLength(1);
    const forged = mc.session.broadcastRun.bind(mc.session);
    mc.session.broadcastRun = (m) => forged(m.type === 'run-result' ? { ...m, done: [...m.done, ...forB, 99_999] } : m);
    await syncAll(all, plan);

    expect(b.readFile('only-copy.txt')).toBeUndefined();
    expect(mb.run.results.get(mb.session.self)!.failed.map((f) => f.i)).toEqual(forB);
    // The leader counted C only for C's own action and said so.
    expect(ma.run.results.get(mc.session.self)!.done.every((i) => plan.actions[i]!.target === 'C1')).toBe(true);
    expect(problems.filter((p) => p.startsWith('result-refused:C'))).toHaveLength(1);
    // The base A saved: B1 does not hold the file (the sources still differ, so no entry is agreed).
    const ids = new Map([['A1', 'src-0'], ['B1', 'src-1'], ['C1', 'src-2']]);
    const base = await loadBase(ma.store, profileId([...ids.values()]), ids);
    expect([...(base?.B1 ?? new Map()).keys()]).toEqual([]);

    // B's disk works again; C stops lying. A forged "done" would make this a deletion of A's only copy.
    b.clearFaults();
    mc.session.broadcastRun = forged;
    await inventoryAll(all);
    const next = ma.run.planPreset({ kind: 'two-way' });
    expect(next.actions.filter((x) => x.type === 'delete')).toEqual([]);
    expect(next.actions.filter((x) => x.type === 'copy' && x.target === 'B1').map((x) => x.type === 'copy' && x.targetPath)).toEqual(['only-copy.txt']);
    await syncAll(all, next);
    expect(a.readFile('only-copy.txt')).toEqual(b.readFile('only-copy.txt'));
    expect(a.readFile('only-copy.txt')).toBeTruthy();
  }, 60_000);
});
