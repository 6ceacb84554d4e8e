/** A folder a run deletes or replaces is held to what the target's inventory saw in it (target-check.ts), as the browser's runs use it. */
import { describe, expect, it } from 'vitest';
import { MemFs } from '../testing/memfs.ts';
import { harness } from '../testing/harness.ts';
import { utf8 } from '../testing/bytes.ts';
import { seenIn } from './target-check.ts';
import { listRuns } from '../versions/catalogue.ts';
import { saveDuringFolderMove } from '../testing/save-during-folder-move.ts';

async function planned(y: Record<string, unknown>) {
  const h = harness(MemFs.from({ 'keep.txt': 'k', d: 'a file now' }), MemFs.from(y as never));
  const inventories = await h.inventories();
  return { h, plan: await h.plan(), seen: seenIn(inventories) };
}

describe('a folder changed on the target since the inventory', () => {
  it('is neither deleted nor replaced when a file appeared or changed in it; nothing of it is moved', async () => {
    const { h, plan, seen } = await planned({ 'keep.txt': 'k', old: { sub: { 'o.txt': 'o' } }, d: { 'x.txt': 'x' } });
    h.y.writeFile('old/sub/new.txt', 'saved meanwhile');
    h.y.writeFile('d/x.txt', 'x, edited meanwhile');
    const result = await h.apply(plan, { seen });
    expect(result.failures.map((f) => [f.action.path, f.code, f.message])).toEqual(expect.arrayContaining([
      ['old', 'changed', 'holds old/sub/new.txt (new) the inventory did not see: the folder is left as it is'],
      ['d', 'changed', 'holds d/x.txt (changed) the inventory did not see: the folder is left as it is'],
    ]));
    expect(h.y.readFile('old/sub/o.txt')).toEqual(utf8('o'));
    expect(h.y.readFile('d/x.txt')).toEqual(utf8('x, edited meanwhile'));
    expect(result.written).toEqual([]);
  });

  it('goes as planned when only items gone since or left out by the walk differ', async () => {
    const { h, plan, seen } = await planned({ 'keep.txt': 'k', old: { 'o.txt': 'o', 'p.txt': 'p' } });
    h.y.delete('old/p.txt');
    h.y.writeFile('old/Thumbs.db', 'system file');
    const result = await h.apply(plan, { seen });
    expect(result.failures).toEqual([]);
    expect((await h.y.list('')).map((e) => e.name)).not.toContain('old');
  });
});

describe('a file saved at the target right after the commit, while the writer reads it back', () => {
  it.each([false, true])('stays: a read-back that fails on it never removes it; the old file stays kept (move replaces: %s)', async (replaces) => {
    const h = harness(MemFs.from({ 'r.txt': 'new from A1' }), MemFs.from({ 'r.txt': 'old on A2' }));
    const plan = await h.plan();
    const move = h.y.move?.bind(h.y) as NonNullable<typeof h.y.move>;
    // Chrome's FileSystemHandle.move() replaces a file standing at its target; the old file must not come back over the save.
    if (replaces) Object.assign(h.y, { move: async (from: string, to: string) => (h.y.readFile(to) ? (h.y.delete(to), move(from, to)) : move(from, to)) });
    let saved = false;
    // The browser's writer on a picked folder does not vouch for its bytes: the engine reads the file back. The user
    // opened the file that just arrived and saved it meanwhile.
    h.y.onBeforeRead = (path) => void (path === 'r.txt' && !saved && (saved = (h.y.writeFile('r.txt', 'saved by the user'), true)));
    const result = await h.apply(plan);
    expect(saved).toBe(true);
    expect(h.y.readFile('r.txt')).toEqual(utf8('saved by the user'));
    const kept = Object.entries(h.y.snapshot({ under: '.quintet/versions' })).filter(([p]) => p.endsWith('r.txt'));
    expect(kept.map(([, v]) => v)).toEqual([utf8('old on A2')]);
    expect(result.failures.map((f) => f.action.path)).toEqual(['r.txt']);
  });
  it('the old file that stays kept is recorded in the run’s manifest, listed beside what the run did, and the failure says where', async () => {
    const h = harness(MemFs.from({ 'r.txt': 'new from A1', 'n.txt': 'n' }), MemFs.from({ 'r.txt': 'old on A2' }));
    const plan = await h.plan();
    let saved = false;
    h.y.onBeforeRead = (path) => void (path === 'r.txt' && !saved && (saved = (h.y.writeFile('r.txt', 'saved by the user'), true)));
    const result = await h.apply(plan);
    expect(h.y.readFile('r.txt')).toEqual(utf8('saved by the user'));
    const [run] = await listRuns(h.y);
    // The run changed n.txt there too, so it has a manifest: the kept r.txt must be in it, not only on disk.
    expect(run?.manifest?.entries.map((e) => e.path).sort()).toEqual(['n.txt', 'r.txt']);
    const version = run?.versions.find((v) => v.path === 'r.txt');
    expect(version && h.y.readFile(version.kept)).toEqual(utf8('old on A2'));
    expect(result.failures.find((f) => f.action.path === 'r.txt')?.message).toContain(`kept in ${version?.kept}`);
  });
});

describe('a folder whose move aside into versions fails partway (the browser moves a folder file by file)', () => {
  it('what stays kept because a save now stands at its old path is recorded in the run’s manifest, and the failure says where', async () => {
    const h = harness(MemFs.from({ 'n.txt': 'n' }), MemFs.from({ d: { 'a.txt': 'old a', 'b.txt': 'b' } }));
    const plan = await h.plan();
    // A save lands at d/a.txt once a.txt went into the version's tree: a.txt cannot go back, it stays under versions.
    saveDuringFolderMove(h.y, 'd', 'a.txt', 'saved by the user');
    const result = await h.apply(plan);
    expect(h.y.readFile('d/a.txt')).toEqual(utf8('saved by the user'));
    const [run] = await listRuns(h.y);
    expect(run?.manifest?.entries.map((e) => e.path).sort()).toEqual(['d', 'n.txt']);
    const version = run?.versions.find((v) => v.path === 'd');
    expect(version && h.y.readFile(`${version.kept}/a.txt`)).toEqual(utf8('old a'));
    expect(result.failures.find((f) => f.action.path === 'd')?.message).toContain(`kept in ${version?.kept}`);
  });
});
