/** Hostile member: B orders "Undo last run" itself; every member refuses it (leader-only, like start-sync) and undoes nothing. */
import { describe, expect, it } from 'vitest';
import { cloudMembers, inventoryAll, settle, syncAll, until, type MeshMember } from '../../signaling/testing/cloud-members.ts';
import { MemFs } from '../testing/memfs.ts';
import { encodeMeshMessage } from '../protocol/mesh-codec.ts';

describe('hostile member: an undo order from anyone but the current leader', () => {
  it('is refused by every member as not-leader, and nobody’s folder changes', async () => {
    const a = MemFs.from({ 'r.txt': 'new r', 'n.txt': 'n' }, { name: 'A' });
    const b = MemFs.from({ 'r.txt': 'old r', 'd.txt': 'd' }, { name: 'B' });
    const c = MemFs.from({ 'r.txt': 'old r' }, { name: 'C' });
    const all = await cloudMembers([a, b, c]);
    const [ma, mb, mc] = all as [MeshMember<MemFs>, MeshMember<MemFs>, MeshMember<MemFs>];
    await inventoryAll(all);
    const plan = ma.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' });
    await syncAll(all, plan);
    await inventoryAll(all);
    await syncAll(all, ma.run.planPreset({ kind: 'mirror', from: 'A1', to: 'C1' }));
    const before = [a, b, c].map((fs) => fs.snapshot({ exclude: ['.quintet'] }));
    const refused: string[] = [];
    for (const m of [ma, mc]) m.session.on('refused', (from, type, why) => refused.push(`${from === mb.session.self ? 'B' : from}:${type}:${why}`));
    const results: string[] = [];
    for (const m of all) m.run.on('undo-result', (from) => results.push(from));

    // B names the run it knows was last (its own record of the session's runs), to A and to C.
    const order = { type: 'undo-run' as const, v: 1, order: 'u-forged', run: mb.run.undo.last as string };
    for (const to of [ma, mc]) await mb.session.mesh.send(to.session.self, encodeMeshMessage(order));
    // Through the session API B cannot even send it.
    await expect(mb.run.undo.order()).rejects.toThrow(/only the leader/);
    // Wait for both refusals (a fixed pause was too short under load), then a little more for anything else to land.
    await until(() => refused.length >= 2);
    await settle();

    expect(refused.sort()).toEqual(['B:undo-run:not-leader', 'B:undo-run:not-leader']);
    expect(results).toEqual([]);
    expect([a, b, c].map((fs) => fs.snapshot({ exclude: ['.quintet'] }))).toEqual(before);
    // The same order from A is carried out: the leader rule, not the message, made the difference.
    const real = await ma.run.undo.order();
    await until(() => all.every((m) => m.run.undo.current?.id === real && m.run.undo.current.results.size === 3));
    expect(c.snapshot({ exclude: ['.quintet'] })).toEqual({ 'r.txt': new TextEncoder().encode('old r') });
  }, 60_000);
});
