/** A member that paused itself (§12) refuses a plan that writes to it, even from a leader that ignores the pause. */
import { describe, expect, it } from 'vitest';
import { cloudMembers, inventoryAll, syncAll, type MeshMember } from '../../signaling/testing/cloud-members.ts';
import { MemFs } from '../testing/memfs.ts';
import { withPausedWrites } from '../continuous/paused-writes.ts';

describe('a paused member refuses writes itself', () => {
  it('a Two-way that writes onto paused B: B skips its share (reason paused), its folder stays as it was; A is still written', async () => {
    const a = MemFs.from({ 'from-a.txt': 'A made this', 'shared.txt': 'A’s newer version' }, { name: 'A' });
    const b = MemFs.from({ 'from-b.txt': 'B made this', 'shared.txt': 'B’s old version' }, { name: 'B' });
    const all = await cloudMembers([a, b]);
    const [ma, mb] = all as [MeshMember<MemFs>, MeshMember<MemFs>];
    const problems: string[] = [];
    mb.run.on('problem', (p) => problems.push(p));
    mb.run.writesPaused = () => true; // B paused itself; this leader plans as if it had not heard
    const before = b.snapshot({ exclude: ['.quintet'] });
    await inventoryAll(all);
    const plan = ma.run.planPreset({ kind: 'two-way' });
    const ontoB = plan.actions.flatMap((x, i) => (x.target === 'B1' ? [i] : []));
    expect(ontoB.length).toBeGreaterThan(0);
    await syncAll(all, plan);

    expect(b.snapshot({ exclude: ['.quintet'] })).toEqual(before);
    expect(mb.run.resolved?.roleRefused.map((r) => `${r.i} ${r.reason} ${r.detail}`)).toEqual(ontoB.map((i) => `${i} paused B1`));
    expect(problems.some((p) => p.startsWith(`role-refused: ${ontoB.length} action(s) (paused B1`))).toBe(true);
    expect(ma.run.results.get(mb.session.self)).toMatchObject({ done: [], failed: [], skipped: ontoB });
    // A is not paused: B's file still reaches it (a paused member's own reads are the leader's to leave out).
    expect(new TextDecoder().decode(a.readFile('from-b.txt'))).toBe('B made this');
  }, 60_000);

  it('withPausedWrites leaves other members’ actions and already refused ones as they were', () => {
    const copy = { type: 'copy', from: 'A1', target: 'B1', path: 'x', targetPath: 'x', hash: 'h', size: 1, mtime: 0, replaces: null } as never;
    const resolved = {
      actions: [copy, null, { type: 'mkdir', target: 'A1', path: 'd' } as never], targets: ['B1', 'B1', 'A1'], conflicts: [],
      summary: { copies: 1, overwrites: 0, directories: 1, deletions: 0, bytes: 1 }, roleRefused: [{ i: 1, reason: 'send-only' as const, detail: 'B1' }], held: [], emptied: [],
    };
    const out = withPausedWrites(resolved, new Set(['B1']));
    expect(out.actions).toEqual([null, null, resolved.actions[2]]);
    expect(out.roleRefused).toEqual([{ i: 0, reason: 'paused', detail: 'B1' }, { i: 1, reason: 'send-only', detail: 'B1' }]);
    expect(withPausedWrites(resolved, new Set(['C1']))).toBe(resolved);
  });
});
