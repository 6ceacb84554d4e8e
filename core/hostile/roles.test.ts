/** Hostile leader plan against member roles (§10.11): every member refuses what the roles forbid, whatever the leader planned. */
import { describe, expect, it } from 'vitest';
import { cloudMembers, inventoryAll, syncAll, until, type MeshMember } from '../../signaling/testing/cloud-members.ts';
import { MemFs } from '../testing/memfs.ts';
import type { Action, Plan } from '../plan/types.ts';
import { summarize } from '../plan/plan-common.ts';

const text = (fs: MemFs, path: string) => {
  const bytes = fs.readFile(path);
  return bytes ? new TextDecoder().decode(bytes) : undefined;
};

/** Three members on the loopback mesh; the leader's settings make B send-only and C receive-only. */
async function withRoles(a: MemFs, b: MemFs, c: MemFs): Promise<MeshMember<MemFs>[]> {
  const all = await cloudMembers([a, b, c]);
  const [ma, mb, mc] = all as [MeshMember<MemFs>, MeshMember<MemFs>, MeshMember<MemFs>];
  await ma.session.changeSettings({ ...ma.session.settings, roles: { [mb.session.self]: 'send-only', [mc.session.self]: 'receive-only' } });
  await until(() => all.every((m) => Object.keys(m.session.settings.roles).length === 2));
  return all;
}

describe('member roles — every member enforces them on the leader’s plan', () => {
  it('a leader plan writing onto send-only B or spreading receive-only C is refused by each member, skipped and reported', async () => {
    const a = MemFs.from({ 'a.txt': 'from A' }, { name: 'A' });
    const b = MemFs.from({ 'b.txt': 'only on B' }, { name: 'B' });
    const c = MemFs.from({ 'c.txt': 'C keeps this to itself' }, { name: 'C' });
    const all = await withRoles(a, b, c);
    const [ma, mb, mc] = all as [MeshMember<MemFs>, MeshMember<MemFs>, MeshMember<MemFs>];
    const problems = new Map(all.map((m) => [m, [] as string[]]));
    for (const m of all) m.run.on('problem', (p) => problems.get(m)?.push(p));
    await inventoryAll(all);

    // What the leader's planner never makes: crafted as a modified page would send it.
    const honest = ma.run.planPreset({ kind: 'two-way' });
    const file = (code: string, path: string) => honest.actions.find((x) => x.type === 'copy' && x.from === code && x.path === path) as Action & { type: 'copy' };
    const copyA = file('A1', 'a.txt');
    const copyC = { ...copyA, from: 'C1', path: 'c.txt', targetPath: 'c.txt', target: 'A1', hash: mc.run.comparison?.rows.find((r) => r.path === 'c.txt')?.cells.C1?.hash ?? '' };
    expect(copyA).toBeTruthy();
    expect(honest.refusals.filter((r) => r.reason === 'send-only').map((r) => r.path).sort()).toEqual(['a.txt']);
    const hostile: Action[] = [
      { ...copyA, target: 'B1' },
      { type: 'mkdir', target: 'B1', path: 'made-by-leader' },
      { type: 'delete', target: 'B1', path: 'b.txt', kind: 'file' },
      copyC,
    ];
    const plan: Plan = { actions: hostile, summary: summarize(hostile), refusals: [], held: [{ ...copyA, target: 'A1', path: 'a.txt', targetPath: 'again.txt' }] };
    await syncAll(all, plan);

    expect(b.snapshot({ exclude: ['.quintet'] })).toEqual(MemFs.from({ 'b.txt': 'only on B' }).snapshot());
    expect(text(a, 'c.txt')).toBeUndefined();
    for (const m of all) {
      expect(m.run.resolved?.roleRefused.map((r) => `${r.i} ${r.reason} ${r.detail}`)).toEqual(['0 send-only B1', '1 send-only B1', '2 send-only B1', '3 receive-only C1']);
      expect(m.run.resolved?.actions).toEqual([null, null, null, null]);
      expect(m.run.resolved?.held).toEqual([null]); // a held action only ever targets a receive-only member
      expect(problems.get(m)?.filter((p) => p.startsWith('role-refused: 4 action(s)'))).toHaveLength(1);
    }
    // The owners skipped them (not failed, not done), and every member holds that result.
    expect(ma.run.results.get(mb.session.self)).toMatchObject({ done: [], failed: [], skipped: [0, 1, 2] });
    expect(mb.run.results.get(ma.session.self)).toMatchObject({ done: [], failed: [], skipped: [3] });
    expect(mc.run.counters.servedBytes).toBe(0);
  }, 60_000);

  it('Two-way: A’s new file never reaches B; C’s edit stays local and listed, and Revert takes A’s content back, C’s kept in its versions', async () => {
    const a = MemFs.from({ 'x.txt': 'v1' }, { name: 'A' });
    const b = MemFs.from({ 'x.txt': 'v1' }, { name: 'B' });
    const c = MemFs.from({ 'x.txt': 'v1' }, { name: 'C' });
    const all = await withRoles(a, b, c);
    const [ma, , mc] = all as [MeshMember<MemFs>, MeshMember<MemFs>, MeshMember<MemFs>];
    await inventoryAll(all);
    await syncAll(all, ma.run.planPreset({ kind: 'two-way' })); // records the base: every side holds v1

    a.writeFile('new.txt', 'A made this');
    c.writeFile('x.txt', 'C edited this', Date.now() + 60_000);
    await inventoryAll(all);
    const plan = ma.run.planPreset({ kind: 'two-way' });
    expect(plan.refusals.map((r) => `${r.reason} ${r.detail} ${r.path}`).sort()).toEqual(['local-change C1 x.txt', 'send-only B1 new.txt']);
    const changed = new Promise<unknown>((r) => mc.run.on('local.changed', r));
    await syncAll(all, plan);
    await changed;

    expect(text(b, 'new.txt')).toBeUndefined();
    expect(text(c, 'new.txt')).toBe('A made this');
    expect(text(a, 'x.txt')).toBe('v1');
    expect(text(b, 'x.txt')).toBe('v1');
    expect(mc.run.localChanges).toMatchObject([{ source: 'C1', path: 'x.txt', change: 'edited' }]);
    expect(ma.run.localChanges).toEqual([]); // listed only on the member that holds them

    expect(await mc.run.revert('all')).toEqual({ done: 1, failed: 0 });
    expect(text(c, 'x.txt')).toBe('v1');
    const versions = Object.entries(c.snapshot({ under: '.quintet/versions' })).filter(([, v]) => v !== null).map(([, v]) => new TextDecoder().decode(v as Uint8Array));
    expect(versions).toContain('C edited this');
    expect(mc.run.localChanges).toEqual([]);
  }, 60_000);
});
