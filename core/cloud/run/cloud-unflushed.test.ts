import { describe, expect, it } from 'vitest';
import { cloudMembers, inventoryAll, syncAll } from '../../../signaling/testing/cloud-members.ts';
import { MemFs } from '../../testing/memfs.ts';
import { MESH_PROTOCOL_VERSION } from '../../protocol/mesh-messages.ts';
import { ownResult } from './cloud-run-results.ts';
import { clipMiddle } from './cloud-run-sync.ts';

describe('Cloud run: targets not flushed to disk', () => {
  it('a member whose folder cannot be flushed names it in its result, which every member receives (message within 200, reason kept)', async () => {
    const a = MemFs.from({ 'x.txt': 'from A' }, { name: 'A' });
    const b = MemFs.from({}, { name: 'B' });
    const c = MemFs.from({}, { name: 'C' });
    const folders = Array.from({ length: 40 }, (_, i) => `folder-${i}`).join(', ');
    const why = `could not flush 40 folders ${folders} to disk, so the names written there may not survive a power cut: EIO: i/o error, fsync`;
    // A sink whose end-of-run flush rejects, as the Node sink's does when fsync of a folder fails.
    Object.assign(b, { flush: () => Promise.reject(new Error(why)) });
    Object.assign(c, { flush: () => Promise.resolve() });
    const all = await cloudMembers([a, b, c]);
    const [lead, bee, cee] = all;
    await inventoryAll(all);
    await syncAll(all, lead!.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
    for (const m of all) {
      expect(m.run.results.get(bee!.session.self)?.unflushed).toEqual([{ source: 'B1', message: clipMiddle(why, 200) }]);
      expect(m.run.results.get(cee!.session.self)?.unflushed).toBeUndefined();
      expect(m.run.results.get(lead!.session.self)?.unflushed).toBeUndefined();
    }
    // The files stay: the run's writes are done, only their durability is in doubt.
    expect(new TextDecoder().decode(b.readFile('x.txt'))).toBe('from A');
    expect(lead!.run.results.get(bee!.session.self)?.done).toHaveLength(1);
  }, 60_000);

  it('a long message keeps its start and its end (the system’s reason), 200 characters in all', () => {
    const long = `could not flush ${'x'.repeat(400)}: EIO: i/o error, fsync`;
    const clipped = clipMiddle(long, 200);
    expect(clipped).toHaveLength(200);
    expect(clipped.startsWith('could not flush xxx')).toBe(true);
    expect(clipped.endsWith('x: EIO: i/o error, fsync')).toBe(true);
    expect(clipMiddle('short', 200)).toBe('short');
  });

  it('a member reports unflushed targets only for its own folders', () => {
    const forged = {
      type: 'run-result' as const, v: MESH_PROTOCOL_VERSION, run: 's', done: [], failed: [], skipped: [], bytes: 0, ms: 0,
      unflushed: [{ source: 'A1', message: 'forged' }, { source: 'C2', message: 'EIO' }],
    };
    expect(ownResult(forged, ['A1'], 'C').result.unflushed).toEqual([{ source: 'C2', message: 'EIO' }]);
    expect(ownResult(forged, ['A1'], '').result.unflushed).toEqual([]);
  });
});
