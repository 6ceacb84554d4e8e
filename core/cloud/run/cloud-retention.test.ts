import { describe, expect, it } from 'vitest';
import { cloudMembers, inventoryAll, settle, syncAll } from '../../../signaling/testing/cloud-members.ts';
import { MemFs } from '../../testing/memfs.ts';
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

  it('a member reports retention only for its own folders', () => {
    const forged = { type: 'run-result' as const, v: MESH_PROTOCOL_VERSION, run: 's', done: [], failed: [], skipped: [], bytes: 0, ms: 0, retention: [{ source: 'A1', versions: 9, bytes: 9, failed: 0 }, { source: 'C1', versions: 1, bytes: 1, failed: 0 }] };
    expect(ownResult(forged, ['A1'], 'C').result.retention).toEqual([{ source: 'C1', versions: 1, bytes: 1, failed: 0 }]);
  });
});
