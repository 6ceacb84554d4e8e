/**
 * The members learn from the plan which sources the leader's Two-way left out as emptied (docs/protocol.md §5.1): only
 * the leader holds the base that tells, so its plan carries them (`emptied`, optional: members that predate it drop it).
 */
import { describe, expect, it } from 'vitest';
import { cloudMembers, inventoryAll, syncAll } from '../../../signaling/testing/cloud-members.ts';
import { MemFs } from '../../testing/memfs.ts';
import type { Inventory } from '../../inventory/types.ts';
import { encodePlan, resolvePlan } from './cloud-run-plan.ts';

const tree = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}.txt`, `file ${i}`]));
const files = (fs: MemFs) => Object.keys(fs.snapshot({ exclude: ['.quintet'] })).sort();

describe('Cloud run: a source left out as emptied, as the members see it', () => {
  it('every member resolves the plan with the emptied source named; the others sync among themselves, nothing is deleted', async () => {
    const [a, b, c] = [MemFs.from(tree, { name: 'A' }), MemFs.from({}, { name: 'B' }), MemFs.from({}, { name: 'C' })];
    const all = await cloudMembers([a, b, c]);
    const lead = all[0]!;
    await inventoryAll(all, 'i1');
    await syncAll(all, lead.run.planPreset({ kind: 'two-way' }));
    expect(files(c)).toEqual(files(a));
    for (const m of all) expect(m.run.resolved?.emptied).toEqual([]);

    // C's disk "unmounted": its folder lists nothing; B made a file meanwhile.
    for (const path of files(c)) c.delete(path);
    b.writeFile('new.txt', new TextEncoder().encode('made on B'));
    await inventoryAll(all, 'i2');
    const plan = lead.run.planPreset({ kind: 'two-way' });
    expect(plan.refusals).toContainEqual({ path: '', reason: 'emptied', detail: 'C1' });
    await syncAll(all, plan);
    for (const m of all) expect(m.run.resolved?.emptied).toEqual(['C1']);
    expect(files(a)).toEqual([...Object.keys(tree), 'new.txt'].sort());
    expect(files(b)).toEqual(files(a));
    expect(files(c)).toEqual([]);
  }, 60_000);

  it('the key is optional and only informative: absent means none, unknown sources are dropped, a malformed one refuses the plan', () => {
    const inv = (source: string): Inventory => ({
      source, rootKind: 'directory', rootName: source, items: [], errors: [], takenAt: 0,
      stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 },
    });
    const inventories = [inv('A1'), inv('B1')];
    const empty = { actions: [], refusals: [], summary: { copies: 0, overwrites: 0, directories: 0, deletions: 0, bytes: 0 } };
    const wired = encodePlan({ ...empty, refusals: [{ path: '', reason: 'emptied', detail: 'B1' }] }, 'r');
    expect(wired).toMatchObject({ emptied: ['B1'] });
    expect(encodePlan(empty, 'r')).not.toHaveProperty('emptied'); // nothing new on the wire when nothing is left out
    expect(resolvePlan(wired, 'r', inventories)?.emptied).toEqual(['B1']);
    expect(resolvePlan(encodePlan(empty, 'r'), 'r', inventories)?.emptied).toEqual([]);
    expect(resolvePlan({ ...(wired as object), emptied: ['B1', 'C7', 'B1'] }, 'r', inventories)?.emptied).toEqual(['B1']);
    expect(resolvePlan({ ...(wired as object), emptied: ['../x'] }, 'r', inventories)).toBeNull();
    // A key this member does not know (a later leader's) is dropped the same way an older member drops `emptied`.
    expect(resolvePlan({ ...(wired as object), later: { anything: 1 } }, 'r', inventories)?.actions).toEqual([]);
  });
});
