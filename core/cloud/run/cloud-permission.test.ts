import { describe, expect, it } from 'vitest';
import { cloudMembers, inventoryAll, syncAll, type MeshMember } from '../../../signaling/testing/cloud-members.ts';
import { MemFs } from '../../testing/memfs.ts';
import { FsError } from '../../errors.ts';
import type { AccessState } from '../../ports.ts';
import { ownResult } from './cloud-run-results.ts';
import { MESH_PROTOCOL_VERSION } from '../../protocol/mesh-messages.ts';

/**
 * A folder picked with read access, as Chrome gives it: reading works, every write throws 'permission-denied' and
 * `access('readwrite')` says 'prompt' until a request (a click) grants it; `refuse` answers that request "Don't allow".
 */
function readOnly(fs: MemFs) {
  const state = { write: 'prompt' as AccessState, refuse: false, asked: [] as string[] };
  fs.access = async (mode, request) => {
    state.asked.push(`${mode}${request ? '!' : '?'}`);
    if (mode === 'read') return 'granted';
    if (state.write === 'prompt' && request) state.write = state.refuse ? 'denied' : 'granted';
    return state.write;
  };
  for (const name of ['mkdir', 'createWriter', 'remove'] as const) {
    const original = fs[name].bind(fs) as (...args: unknown[]) => Promise<unknown>;
    (fs as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      if (state.write !== 'granted') throw new FsError('permission-denied', String(args[0]));
      return original(...args);
    };
  }
  return state;
}

async function mirrorAtoB(all: readonly MeshMember[]) {
  await inventoryAll(all);
  await syncAll(all, all[0]!.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
}

describe('Cloud run: a folder without write permission (issue 9, finding 13)', () => {
  it('is not written: its items are skipped with reason permission in its owner’s result, seen by every member; once allowed, the re-run completes', async () => {
    const a = MemFs.from({ 'x.txt': 'from A', docs: { 'y.txt': 'deep' } }, { name: 'A' });
    const b = MemFs.from({ 'old.txt': 'stays' }, { name: 'B' });
    const perm = readOnly(b);
    const all = await cloudMembers([a, b]);
    const [, bee] = all as [unknown, MeshMember];
    await mirrorAtoB(all);

    const planned = bee.run.resolved!.actions.length;
    expect(planned).toBe(4); // delete old.txt, mkdir docs, copy x.txt, copy docs/y.txt
    for (const m of all) {
      const r = m.run.results.get(bee.session.self)!;
      expect(r).toMatchObject({ done: [], failed: [], denied: ['B1'] });
      expect(r.skipped).toHaveLength(planned); // every item counted, none silently dropped, none failed one by one
    }
    expect(b.snapshot()).toEqual({ 'old.txt': new TextEncoder().encode('stays') }); // nothing written, nothing versioned
    expect(perm.asked).not.toContain('readwrite!'); // no click started the share: nothing was asked there

    // B's page offers "Allow writing to B1"; its click asks (and here, the user allows).
    expect(await bee.run.needsWrite()).toEqual(['B1']);
    expect(await bee.run.allowWrite('B1')).toBe('granted');
    expect(await bee.run.needsWrite()).toEqual([]);

    await mirrorAtoB(all);
    const again = all[0]!.run.results.get(bee.session.self)!;
    expect(again).toMatchObject({ failed: [], skipped: [] });
    expect(again.denied).toBeUndefined();
    expect(new TextDecoder().decode(b.readFile('x.txt'))).toBe('from A');
    expect(new TextDecoder().decode(b.readFile('docs/y.txt'))).toBe('deep');
    expect(b.readFile('old.txt')).toBeUndefined();
  }, 60_000);

  it('a refused request leaves the folder without write; a member can only report its own folders as denied', async () => {
    const b = new MemFs({ name: 'B' });
    const perm = readOnly(b);
    perm.refuse = true;
    const all = await cloudMembers([MemFs.from({ 'x.txt': 'x' }, { name: 'A' }), b]);
    await mirrorAtoB(all);
    expect(await all[1]!.run.allowWrite('B1')).toBe('denied');
    expect(await all[1]!.run.allowWrite('A1')).toBe('denied'); // not its own folder
    expect(await all[1]!.run.needsWrite()).toEqual(['B1']);
    const forged = { type: 'run-result' as const, v: MESH_PROTOCOL_VERSION, run: 's', done: [], failed: [], skipped: [], bytes: 0, ms: 0, denied: ['A1', 'C1'] };
    expect(ownResult(forged, ['A1'], 'C').result.denied).toEqual(['C1']);
  }, 60_000);
});
