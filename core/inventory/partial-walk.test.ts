import { describe, expect, it } from 'vitest';
import { walkSource, type WalkResult } from './walk.ts';
import { partialWalk, snapshotOf, type WalkSnapshot } from './partial-walk.ts';
import { createExcluder } from './exclusions.ts';
import { MemFs } from '../testing/memfs.ts';
import type { EntryKind } from '../ports.ts';
import { DEFAULT_SETTINGS } from '../settings/settings.ts';

const exclude = createExcluder({ ...DEFAULT_SETTINGS, exclusionPatterns: ['*.tmp'] });

async function full(fs: MemFs): Promise<{ result: WalkResult; snapshot: WalkSnapshot }> {
  const excluded = new Map<string, EntryKind>();
  const result = await walkSource({ source: fs, exclude, onExcluded: (p, k) => void excluded.set(p, k) });
  return { result, snapshot: snapshotOf(result, excluded) };
}
const shape = (r: WalkResult) => ({
  entries: [...r.entries].sort((a, b) => (a.path < b.path ? -1 : 1)),
  errors: [...r.errors].sort((a, b) => (a.path < b.path ? -1 : 1)),
  excluded: r.excluded,
});

describe('partialWalk', () => {
  it('gives what a full walk gives when the named paths are the only changes: edits, creations in new folders, deletions, renames, kind changes, exclusions', async () => {
    const tree: Record<string, unknown> = { top: 'x', keep: { 'a.txt': 'a', deep: { 'b.txt': 'b' } }, old: { 'c.txt': 'c', sub: { 'd.txt': 'd' } }, flip: 'file', 'junk.tmp': '' };
    for (let i = 0; i < 20; i++) (tree.keep as Record<string, unknown>)[`n${i}`] = { 'f.txt': `${i}` };
    const fs = MemFs.from(tree as never);
    const { snapshot } = await full(fs);

    fs.writeFile('keep/a.txt', 'edited, longer', 5);
    fs.writeFile('new/deeper/e.txt', 'created with its folders');
    fs.writeFile('old2/c.txt', 'c'); // "old" renamed to "old2" (its content moved)
    fs.writeFile('old2/sub/d.txt', 'd');
    fs.delete('old');
    fs.delete('top');
    fs.delete('flip');
    fs.writeFile('flip/inside.txt', 'a folder now');
    fs.writeFile('keep/more.tmp', 'excluded');
    const changed = ['keep/a.txt', 'new/deeper/e.txt', 'old', 'old2', 'top', 'flip', 'flip/inside.txt', 'keep/more.tmp'];
    const listsBefore = fs.counts.list;
    const part = await partialWalk({ source: fs, previous: snapshot, changed, exclude });
    const lists = fs.counts.list - listsBefore;
    const whole = await full(fs);
    expect(shape(part.result)).toEqual(shape(whole.result));
    expect(part.snapshot).toEqual(whole.snapshot);
    // Only the parents of the named paths (and new folders) were listed, not 'keep/deep' nor the whole tree again.
    expect(lists).toBeLessThan((fs.counts.list - listsBefore - lists) / 2);
    // The snapshot before stays as it was (a failed round can start from it again).
    expect(snapshot.entries.has('old/c.txt')).toBe(true);
  });

  it('misses a change nobody named (the reconciliation round, a whole walk, is what catches it)', async () => {
    const fs = MemFs.from({ a: { 'x.txt': 'x' }, b: { 'y.txt': 'y' } });
    const { snapshot } = await full(fs);
    fs.writeFile('a/x.txt', 'named', 9);
    fs.writeFile('b/y.txt', 'not named, longer', 9);
    const part = await partialWalk({ source: fs, previous: snapshot, changed: ['a/x.txt'], exclude });
    const size = (r: WalkResult, p: string) => r.entries.find((e) => e.path === p && e.kind === 'file')?.kind === 'file' && (r.entries.find((e) => e.path === p) as { size: number }).size;
    expect(size(part.result, 'a/x.txt')).toBe(5);
    expect(size(part.result, 'b/y.txt')).toBe(1); // stale: nobody said
    expect(size((await full(fs)).result, 'b/y.txt')).toBe(17);
  });

  it('a folder it cannot list any more is an error at its path, as in a full walk; a vanished one hands over to its parent', async () => {
    const fs = MemFs.from({ a: { 'x.txt': 'x' }, b: { 'y.txt': 'y' } });
    const { snapshot } = await full(fs);
    fs.writeFile('a/z.txt', 'z');
    fs.failNext('list', 'a', 'permission-denied');
    const part = await partialWalk({ source: fs, previous: snapshot, changed: ['a/z.txt'], exclude });
    expect(part.result.errors).toEqual([expect.objectContaining({ path: 'a', code: 'permission-denied' })]);
    expect(part.result.entries.map((e) => e.path).sort()).toEqual(['a', 'b', 'b/y.txt']);

    // From that walk on: 'b' deleted (only its file named), 'a' named again: listed now, its error gone.
    fs.delete('b');
    const gone = await partialWalk({ source: fs, previous: part.snapshot, changed: ['b/y.txt', 'a'], exclude });
    expect(gone.result.errors).toEqual([]);
    expect(shape(gone.result)).toEqual(shape((await full(fs)).result));
  });
});
