import { describe, expect, it } from 'vitest';
import { MemFs } from '../testing/memfs.ts';
import { harness } from '../testing/harness.ts';
import { utf8 } from '../testing/bytes.ts';
import { listRuns, versionsAt } from './catalogue.ts';
import { restoreVersion } from './restore.ts';
import { undoLastRun } from './undo.ts';
import { saveDuringFolderMove } from '../testing/save-during-folder-move.ts';

/** A target replaced twice: r.txt was v1, then v2, now v3; d/ was deleted by the second run. */
async function twoRuns(move = true) {
  const h = harness(MemFs.from({ 'r.txt': 'v2', d: { 'x.txt': 'x', e: {} } }), MemFs.from({ 'r.txt': 'v1', d: { 'x.txt': 'x', e: {} } }, { move }));
  const first = await h.apply(await h.plan());
  h.clock.advance(60_000);
  h.x.writeFile('r.txt', 'v3 (a new size: the index trusts an equal stat)');
  h.x.delete('d');
  const second = await h.apply(await h.plan());
  h.clock.advance(60_000);
  return { h, first: first.runId, second: second.runId };
}

describe('versions catalogue', () => {
  it('lists runs newest first with what each replaced or deleted: path, size, mtime, kind, run and time', async () => {
    const { h, first, second } = await twoRuns();
    const runs = await listRuns(h.y);
    expect(runs.map((r) => r.run)).toEqual([second, first]);
    expect(runs[0]?.versions.map((v) => [v.path, v.action, v.kind, v.size])).toEqual(
      expect.arrayContaining([['d', 'deleted', 'directory', 1], ['r.txt', 'replaced', 'file', 2]]),
    );
    expect(runs[1]?.versions.map((v) => [v.path, v.action, v.size, v.from])).toEqual([['r.txt', 'replaced', 2, 'A1']]);
    expect(runs[0]?.time).toBeGreaterThan(runs[1]?.time ?? Infinity);
    // A path inside a kept folder is found inside it.
    expect((await versionsAt(h.y, runs, 'd/x.txt')).map((v) => [v.run, v.kept, v.kind])).toEqual([[second, `.quintet/versions/${second}/d/x.txt`, 'file']]);
  });

  it('lists a run from before manifests by walking its versions folder', async () => {
    const fs = MemFs.from({ '.quintet': { versions: { '20230101-101010': { a: { 'b.txt': 'old' }, 'c.txt~2': 'c2', empty: {} } } } });
    const [run] = await listRuns(fs);
    expect(run).toMatchObject({ run: '20230101-101010', kind: 'unknown', manifest: null });
    expect(run?.versions.map((v) => [v.path, v.kind, v.action]).sort()).toEqual([['a/b.txt', 'file', 'unknown'], ['c.txt', 'file', 'unknown'], ['empty', 'directory', 'unknown']]);
    expect(run?.time).toBe(new Date(2023, 0, 1, 10, 10, 10).getTime());
  });
});

describe('restore', () => {
  it.each([true, false])('puts an older version of a file back, keeping the current one first (move: %s)', async (move) => {
    const { h, first, second } = await twoRuns(move);
    const r = await restoreVersion({ sink: h.y, hasher: h.hasher, clock: h.clock, path: 'r.txt', run: first });
    expect(h.y.readFile('r.txt')).toEqual(utf8('v1'));
    expect(h.y.readFile(`.quintet/versions/${r.run}/r.txt`)).toEqual(utf8('v3 (a new size: the index trusts an equal stat)')); // the current item, versioned first
    expect(h.y.readFile(`.quintet/versions/${first}/r.txt`)).toEqual(utf8('v1')); // the version stays kept
    // Without --run: the newest kept version (the restore's own now: v3).
    await restoreVersion({ sink: h.y, hasher: h.hasher, clock: h.clock, path: 'r.txt' });
    expect(h.y.readFile('r.txt')).toEqual(utf8('v3 (a new size: the index trusts an equal stat)'));
    expect(second).not.toBe(r.run);
  });

  it('restores a deleted folder whole, empty folders included, and a file from inside a kept folder', async () => {
    const { h } = await twoRuns();
    await restoreVersion({ sink: h.y, hasher: h.hasher, clock: h.clock, path: 'd' });
    expect(h.y.snapshot({ under: 'd' })).toEqual({ 'x.txt': utf8('x'), e: null });
    h.y.delete('d');
    await restoreVersion({ sink: h.y, hasher: h.hasher, clock: h.clock, path: 'd/x.txt' });
    expect(h.y.snapshot({ under: 'd' })).toEqual({ 'x.txt': utf8('x') });
  });

  it('is a run of its own: undoing it gives back exactly what stood there', async () => {
    const { h, first } = await twoRuns();
    const r = await restoreVersion({ sink: h.y, hasher: h.hasher, clock: h.clock, path: 'r.txt', run: first });
    const undo = await undoLastRun({ sink: h.y, hasher: h.hasher, clock: h.clock });
    expect(undo).toMatchObject({ run: r.run, restored: ['r.txt'], removed: [], leftAlone: [] });
    expect(h.y.readFile('r.txt')).toEqual(utf8('v3 (a new size: the index trusts an equal stat)'));
  });

  it('refuses a path without a kept version, or outside the source, changing nothing', async () => {
    const { h } = await twoRuns();
    const before = h.y.snapshot();
    await expect(restoreVersion({ sink: h.y, hasher: h.hasher, clock: h.clock, path: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(restoreVersion({ sink: h.y, hasher: h.hasher, clock: h.clock, path: '.quintet/runs' })).rejects.toMatchObject({ code: 'invalid-name' });
    expect(h.y.snapshot()).toEqual(before);
  });

  it('on a sink whose move replaces a file (the browser), a save landing at the path during the copy stays', async () => {
    const { h, first } = await twoRuns();
    const move = h.y.move?.bind(h.y) as NonNullable<typeof h.y.move>;
    // Chrome's FileSystemHandle.move() replaces a file standing at its target.
    Object.assign(h.y, { move: async (from: string, to: string) => (h.y.readFile(to) ? (h.y.delete(to), move(from, to)) : move(from, to)) });
    let saved = false;
    // The copy of the version reads it; meanwhile the user saves the path the restore had freed.
    h.y.onBeforeRead = (path) => void (path.endsWith(`${first}/r.txt`) && !saved && (saved = (h.y.writeFile('r.txt', 'saved meanwhile'), true)));
    await expect(restoreVersion({ sink: h.y, hasher: h.hasher, clock: h.clock, path: 'r.txt', run: first })).rejects.toMatchObject({ code: 'changed' });
    expect(saved).toBe(true);
    expect(h.y.readFile('r.txt')).toEqual(utf8('saved meanwhile'));
  });

  it('what stood at the path, moved aside partway and unable to go back (a save landed), is recorded in the restore’s manifest', async () => {
    const { h } = await twoRuns();
    h.y.writeFile('d/a.txt', 'current a');
    h.y.writeFile('d/b.txt', 'b');
    // As the browser's folder move (adapters/browser/fsa-move.ts): a.txt went, then a save landed at d/a.txt.
    saveDuringFolderMove(h.y, 'd', 'a.txt', 'saved meanwhile');
    await expect(restoreVersion({ sink: h.y, hasher: h.hasher, clock: h.clock, path: 'd' })).rejects.toThrow(/stays kept in/);
    const [run] = await listRuns(h.y);
    expect(run?.manifest?.kind).toBe('restore');
    const version = run?.versions.find((v) => v.path === 'd');
    expect(version && h.y.readFile(`${version.kept}/a.txt`)).toEqual(utf8('current a'));
    expect(h.y.readFile('d/a.txt')).toEqual(utf8('saved meanwhile'));
  });
});
