import { describe, expect, it } from 'vitest';
import { MemFs } from '../testing/memfs.ts';
import { harness } from '../testing/harness.ts';
import { utf8 } from '../testing/bytes.ts';
import { undoLastRun } from './undo.ts';
import { readManifest } from './manifest.ts';

/** A Mirror that replaced r.txt, deleted d.txt and old/, and created new/ and n.txt. */
async function mirrored() {
  const h = harness(MemFs.from({ 'r.txt': 'new r', 'n.txt': 'n', new: { 'a.txt': 'a' } }), MemFs.from({ 'r.txt': 'old r', 'd.txt': 'd', old: { 'o.txt': 'o' } }));
  const before = h.y.snapshot();
  const run = await h.apply(await h.plan());
  h.clock.advance(1000);
  return { h, before, run: run.runId };
}

describe('undo last run', () => {
  it('puts back what the run replaced or deleted and moves what it created to the undo\'s versions', async () => {
    const { h, before, run } = await mirrored();
    const undo = await undoLastRun({ sink: h.y, hasher: h.hasher, clock: h.clock });
    expect(undo.run).toBe(run);
    expect(undo.leftAlone).toEqual([]);
    expect(undo.restored.sort()).toEqual(['d.txt', 'old', 'r.txt']);
    expect(undo.removed.sort()).toEqual(['n.txt', 'new', 'new/a.txt']);
    expect(h.y.snapshot({ exclude: ['.quintet'] })).toEqual(before);
    // Nothing deleted outright: the created files are under the undo's versions.
    expect(h.y.readFile(`.quintet/versions/${undo.undoRun}/n.txt`)).toEqual(utf8('n'));
    expect(await readManifest(h.y, undo.undoRun as string)).toMatchObject({ kind: 'undo', undoes: run });
  });

  it('leaves alone, and lists, what changed since; restores the rest', async () => {
    const { h } = await mirrored();
    h.y.writeFile('r.txt', 'edited after the run'); // replaced by the run, then edited
    h.y.writeFile('new/mine.txt', 'added by the user'); // inside a folder the run created
    h.y.delete('n.txt'); // created by the run, then removed by the user
    h.y.writeFile('d.txt', 'a new d'); // deleted by the run, then made again
    const undo = await undoLastRun({ sink: h.y, hasher: h.hasher, clock: h.clock });
    expect(Object.fromEntries(undo.leftAlone.map((l) => [l.path, l.reason]))).toEqual({ 'r.txt': 'changed', new: 'not-empty', 'n.txt': 'gone', 'd.txt': 'occupied' });
    expect(undo.restored).toEqual(['old']);
    expect(undo.removed).toEqual(['new/a.txt']);
    expect(h.y.snapshot({ exclude: ['.quintet'] })).toEqual({
      'r.txt': utf8('edited after the run'), 'd.txt': utf8('a new d'), new: null, 'new/mine.txt': utf8('added by the user'), old: null, 'old/o.txt': utf8('o'),
    });
  });

  it('says so when a version is no longer kept, and leaves the item alone', async () => {
    const { h, run } = await mirrored();
    h.y.delete(`.quintet/versions/${run}/r.txt`);
    const undo = await undoLastRun({ sink: h.y, hasher: h.hasher, clock: h.clock });
    expect(undo.leftAlone).toEqual([{ path: 'r.txt', reason: 'version-gone' }]);
    expect(h.y.readFile('r.txt')).toEqual(utf8('new r'));
  });

  it('undoing the undo brings the run back; with no run there is nothing to do', async () => {
    const { h } = await mirrored();
    const after = h.y.snapshot({ exclude: ['.quintet'] });
    await undoLastRun({ sink: h.y, hasher: h.hasher, clock: h.clock });
    h.clock.advance(1000);
    const redo = await undoLastRun({ sink: h.y, hasher: h.hasher, clock: h.clock });
    expect(redo.leftAlone).toEqual([]);
    expect(h.y.snapshot({ exclude: ['.quintet'] })).toEqual(after);
    expect(await undoLastRun({ sink: new MemFs(), hasher: h.hasher, clock: h.clock })).toEqual({ run: null, undoRun: null, restored: [], removed: [], leftAlone: [] });
  });

  it('records a file-system failure as left alone with its reason and goes on', async () => {
    const { h } = await mirrored();
    h.y.failNext('move', 'n.txt', 'permission-denied');
    const undo = await undoLastRun({ sink: h.y, hasher: h.hasher, clock: h.clock });
    expect(undo.leftAlone).toEqual([{ path: 'n.txt', reason: 'failed', detail: expect.stringContaining('permission-denied') }]);
    expect(h.y.readFile('n.txt')).toEqual(utf8('n'));
    expect(h.y.readFile('r.txt')).toEqual(utf8('old r'));
  });
});
