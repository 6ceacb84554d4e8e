import { describe, expect, it } from 'vitest';
import { cloudMembers, inventoryAll, settle, syncAll, until } from '../../../signaling/testing/cloud-members.ts';
import { MemFs, type TreeSpec } from '../../testing/memfs.ts';
import { MESH_PROTOCOL_VERSION } from '../../protocol/mesh-messages.ts';
import { ownResult } from './cloud-run-results.ts';

const DAY = 24 * 3600 * 1000;
/** A run id (`yyyymmdd-hhmmss`, local time) `days` ago: a legacy versions folder of that age. */
function runDaysAgo(days: number): string {
  const d = new Date(Date.now() - days * DAY);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`;
}

describe('Cloud run: retention (issue 15)', () => {
  it('each member cleans up its own targets with the leader’s setting at the start of its share, and every member sees it', async () => {
    const old = runDaysAgo(40);
    const recent = runDaysAgo(2);
    const a = MemFs.from({ 'x.txt': 'from A', '.quintet': { versions: { [old]: { 'y.txt': 'a-old' } } } }, { name: 'A' });
    const b = MemFs.from({ 'x.txt': 'old B', '.quintet': { versions: { [old]: { 'z.txt': '12345' }, [recent]: { 'z.txt': '12' } } } }, { name: 'B' });
    const all = await cloudMembers([a, b]);
    const [lead, bee] = all;
    await lead!.session.changeSettings({ ...lead!.session.settings, retention: { ...lead!.session.settings.retention, maxAge: 30 * DAY } });
    await settle();
    expect(bee!.session.settings.retention.maxAge).toBe(30 * DAY);
    await inventoryAll(all);
    await syncAll(all, lead!.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    for (const m of all) expect(m.run.results.get(bee!.session.self)?.retention).toEqual([{ source: 'B1', versions: 1, bytes: 5, failed: 0 }]);
    expect(Object.keys(b.snapshot({ under: '.quintet/versions' })).filter((p) => p.endsWith('.txt')).sort()).toContain(`${recent}/z.txt`);
    expect(b.readFile(`.quintet/versions/${old}/z.txt`)).toBeUndefined();
    // A1 was no target: its old version stays.
    expect(new TextDecoder().decode(a.readFile(`.quintet/versions/${old}/y.txt`))).toBe('a-old');
  }, 60_000);

  it('a leader’s retention never removes another member’s young versions nor the last of a deleted file (a purge after deleting)', async () => {
    const [old, recent] = [runDaysAgo(40), runDaysAgo(2)];
    // B's versions: x.txt (still there) replaced 40 and 2 days ago; gone.txt deleted 40 days ago; both.txt 2 days ago.
    const versions: TreeSpec = { [old]: { 'x.txt': 'x 40 days ago', 'gone.txt': 'deleted 40 days ago' }, [recent]: { 'x.txt': 'x 2 days ago', 'both.txt': 'deleted 2 days ago' } };
    const a = MemFs.from({ 'x.txt': 'from A', 'leader.txt': 'l', '.quintet': { versions: { [old]: { 'mine.txt': 'leader-own' }, [recent]: { 'r.txt': 'r' } } } }, { name: 'A' });
    const b = MemFs.from({ 'x.txt': 'old B', '.quintet': { versions } }, { name: 'B' });
    const all = await cloudMembers([a, b]);
    const [lead, bee] = all;
    const purge = { maxAge: 1000, staggered: true, perFile: 1, maxBytes: 0, removeLastOfDeleted: true };
    await lead!.session.changeSettings({ ...lead!.session.settings, retention: purge });
    await settle();
    expect(bee!.session.settings.retention).toEqual(purge);
    await inventoryAll(all);
    await syncAll(all, lead!.run.planPreset({ kind: 'two-way' }));
    const kept = (fs: MemFs) => Object.keys(fs.snapshot({ under: '.quintet/versions' })).filter((p) => p.endsWith('.txt')).sort();
    // Only the 40-day-old version of a file that still stands went; the leader's own folder follows its setting.
    expect(kept(b)).toEqual(expect.arrayContaining([`${old}/gone.txt`, `${recent}/both.txt`, `${recent}/x.txt`]));
    expect(kept(b)).not.toContain(`${old}/x.txt`);
    expect(kept(a)).not.toContain(`${old}/mine.txt`);
  }, 60_000);

  it('a member that becomes leader when the one that set a purge leaves keeps the floor on its own folders', async () => {
    const [recent, newest] = [runDaysAgo(2), runDaysAgo(1)];
    const a = MemFs.from({ 'a.txt': 'a' }, { name: 'A' });
    const versions: TreeSpec = { [recent]: { 'x.txt': 'x 2 days ago', 'gone.txt': 'deleted 2 days ago' }, [newest]: { 'x.txt': 'x a day ago' } };
    const b = MemFs.from({ 'x.txt': 'B now', '.quintet': { versions } }, { name: 'B' });
    const c = MemFs.from({ 'x.txt': 'B now', 'c.txt': 'new from C' }, { name: 'C' });
    const [lead, bee, cee] = await cloudMembers([a, b, c]);
    await lead!.session.changeSettings({ ...lead!.session.settings, retention: { maxAge: 1000, staggered: true, perFile: 1, maxBytes: 0, removeLastOfDeleted: true } });
    await settle();
    expect(bee!.session.settings.retention.maxAge).toBe(1000);
    // The leader that set it leaves: B is now A and leads, with the settings it was sent.
    await lead!.session.exit();
    await until(() => bee!.session.isLeader && bee!.session.members.length === 2);
    const rest = [bee!, cee!];
    await inventoryAll(rest);
    await syncAll(rest, bee!.run.planPreset({ kind: 'two-way' }));
    expect(new TextDecoder().decode(b.readFile('c.txt'))).toBe('new from C'); // B1 was a target: its retention ran
    const kept = Object.keys(b.snapshot({ under: '.quintet/versions' })).filter((p) => p.endsWith('.txt')).sort();
    expect(kept).toEqual([`${recent}/gone.txt`, `${recent}/x.txt`, `${newest}/x.txt`]);
  }, 60_000);

  it('a member reports retention only for its own folders', () => {
    const forged = { type: 'run-result' as const, v: MESH_PROTOCOL_VERSION, run: 's', done: [], failed: [], skipped: [], bytes: 0, ms: 0, retention: [{ source: 'A1', versions: 9, bytes: 9, failed: 0 }, { source: 'C1', versions: 1, bytes: 1, failed: 0 }] };
    expect(ownResult(forged, ['A1'], 'C').result.retention).toEqual([{ source: 'C1', versions: 1, bytes: 1, failed: 0 }]);
  });
});
