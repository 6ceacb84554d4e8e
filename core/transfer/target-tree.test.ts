/**
 * A folder the other side deleted, edited on this side during the round (after its inventory, before the deletion):
 * the deletion must leave it, or the edit goes to versions unseen and Two-way's "an edit beats a deletion" loses.
 */
import { describe, expect, it } from 'vitest';
import { MemFs } from '../testing/memfs.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { createLocalSession } from '../local/local-session.ts';
import { DEFAULT_SETTINGS } from '../settings/settings.ts';

const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

async function deletedOnA(edit: (b: MemFs, clock: ManualClock) => void, settings = DEFAULT_SETTINGS) {
  const clock = new ManualClock();
  const session = createLocalSession({ hasher: new NobleHasher(), store: new MemoryStore(), clock });
  session.setSettings(settings);
  const a = MemFs.from({ proj: { 'notes.txt': 'notes', sub: { 'x.txt': 'x' }, '.hidden': 'h' }, other: 'o' }, { clock });
  const b = MemFs.from({}, { clock });
  session.addSource({ source: a, id: 'a' });
  session.addSource({ source: b, id: 'b' });
  await session.runInventory();
  await session.synchronize(session.planPreset({ kind: 'two-way' }));
  clock.advance(5_000);
  a.delete('proj');
  await session.runInventory();
  const plan = session.planPreset({ kind: 'two-way' });
  expect(plan.actions.map((x) => `${x.type} ${x.target}:${x.path}`)).toEqual(['delete A2:proj']);
  clock.advance(5_000);
  edit(b, clock); // the user's save, landing between the inventory and the deletion
  const result = await session.synchronize(plan);
  return { session, a, b, result };
}

describe('a folder to delete whose contents changed since the inventory', () => {
  it.each([
    ['a file inside edited', 'proj/notes.txt', (b: MemFs) => b.writeFile('proj/notes.txt', 'notes, edited during the round')],
    ['a file made inside', 'proj/sub/new.txt', (b: MemFs) => b.writeFile('proj/sub/new.txt', 'new')],
    ['a file inside touched (same content)', null, (b: MemFs, clock: ManualClock) => b.setMtime('proj/sub/x.txt', clock.now())],
  ])('%s: the deletion fails as changed and the folder stays; the next Two-way keeps the edit on both sides', async (_, survivor, edit) => {
    const { session, a, b, result } = await deletedOnA(edit);
    expect(result.failures.map((f) => [f.action.path, f.code])).toEqual([['proj', 'changed']]);
    expect(b.readFile('proj/sub/x.txt')).toBeDefined();
    const edited = survivor ? text(b.readFile(survivor)) : undefined;
    // Next round: an edit beats a deletion (it goes to A), what was not edited follows A's deletion (into versions).
    await session.runInventory();
    const next = await session.synchronize(session.planPreset({ kind: 'two-way' }));
    expect(next.failures).toEqual([]);
    expect(b.snapshot({ exclude: ['.quintet'] })).toEqual(a.snapshot({ exclude: ['.quintet'] }));
    if (survivor) {
      expect(text(b.readFile(survivor))).toBe(edited);
      expect(text(a.readFile(survivor))).toBe(edited);
    }
  });

  it('unchanged (or only emptied of some files, or holding a file the exclusions leave out): deleted whole, into versions', async () => {
    const { b, result } = await deletedOnA((fs) => {
      fs.delete('proj/sub/x.txt');
      fs.writeFile('proj/.DS_Store', 'finder');
    });
    expect(result.failures).toEqual([]);
    expect(b.readFile('proj/notes.txt')).toBeUndefined();
    const hidden = await deletedOnA((fs) => fs.writeFile('proj/.later', 'hidden'), { ...DEFAULT_SETTINGS, excludeHidden: true });
    expect(hidden.result.failures).toEqual([]);
  });

  it('Mirror: a file that replaces a folder edited inside since the inventory fails as changed; the folder stays', async () => {
    const clock = new ManualClock();
    const session = createLocalSession({ hasher: new NobleHasher(), store: new MemoryStore(), clock });
    const a = MemFs.from({ p: 'a file now' }, { clock });
    const b = MemFs.from({ p: { 'x.txt': 'x' } }, { clock });
    session.addSource({ source: a, id: 'a' });
    session.addSource({ source: b, id: 'b' });
    await session.runInventory();
    const plan = session.planPreset({ kind: 'mirror', from: 'A1', to: 'A2' });
    clock.advance(5_000);
    b.writeFile('p/x.txt', 'x, edited during the run');
    const result = await session.synchronize(plan);
    expect(result.failures.map((f) => [f.action.path, f.code])).toEqual([['p', 'changed']]);
    expect(text(b.readFile('p/x.txt'))).toBe('x, edited during the run');
  });
});
