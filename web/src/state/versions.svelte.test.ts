import { describe, expect, it } from 'vitest';
import { MemFs } from '../../../core/testing/memfs.ts';
import { harness } from '../../../core/testing/harness.ts';
import { utf8 } from '../../../core/testing/bytes.ts';
import { VersionsState, ownVersionSources, searchRows } from './versions.svelte.ts';

/** Two Mirror runs A1 → A2 an hour apart: r.txt replaced twice, d.txt and old/ deleted by the first. */
async function twoRuns() {
  const h = harness(MemFs.from({ 'r.txt': 'r1', docs: { 'Report.md': 'x' } }), MemFs.from({ 'r.txt': 'r0', 'd.txt': 'd', old: { 'o.txt': 'o' } }));
  const first = await h.apply(await h.plan());
  h.clock.advance(3600_000);
  h.x.writeFile('r.txt', 'r2', h.clock.now());
  const second = await h.apply(await h.plan());
  h.clock.advance(1000);
  const forgotten: string[][] = [];
  const state = new VersionsState(() => [{ code: 'A1', sink: h.x }, { code: 'A2', sink: h.y }], () => h.hasher, h.clock, async (paths) => void forgotten.push(paths));
  await state.load('A2');
  return { h, state, first: first.runId, second: second.runId, forgotten };
}

describe('VersionsState', () => {
  it('lists the runs newest first with what each kept, and searches by path words, case folded', async () => {
    const { state, first, second } = await twoRuns();
    expect(state.rows.map((r) => `${r.run === second ? 2 : r.run === first ? 1 : '?'} ${r.action} ${r.path} ${r.kind}`)).toEqual([
      '2 replaced r.txt file', '1 deleted d.txt file', '1 deleted old directory', '1 replaced r.txt file',
    ]);
    expect(state.rows[0]).toMatchObject({ from: 'A1', size: 2, runKind: 'sync' });
    expect(searchRows(state.rows, 'R.T').map((r) => r.path)).toEqual(['r.txt', 'r.txt']);
    expect(searchRows(state.rows, 'ol   d').map((r) => r.path)).toEqual(['old']);
    expect(searchRows(state.rows, '  ')).toHaveLength(4);
  });

  it('a manifest that does not read is named, and the other runs are listed all the same', async () => {
    const { h, state, first, second } = await twoRuns();
    h.y.writeFile(`.quintet/runs/${first}.json`, '{"v":1,"entries":[');
    await state.load('A2');
    expect(state.error).toBeNull();
    expect(state.unreadable).toEqual([expect.objectContaining({ run: first, path: `.quintet/runs/${first}.json`, code: 'corrupt' })]);
    // The bad run's kept files stay listed (as a run without a manifest), beside the other run's.
    expect(state.rows.map((r) => `${r.run === second ? 2 : r.run === first ? 1 : '?'} ${r.path}`)).toEqual(['2 r.txt', '1 d.txt', '1 old/o.txt', '1 r.txt']);
  });

  it('restores a row’s version (what stood there kept first) and lists the restore as a run', async () => {
    const { h, state, first } = await twoRuns();
    await state.restore(state.rows.find((r) => r.run === first && r.path === 'r.txt')!);
    expect(h.y.readFile('r.txt')).toEqual(utf8('r0'));
    expect(state.restored?.result.replacedKeptAt).toMatch(/r\.txt$/);
    expect(h.y.readFile(state.restored!.result.replacedKeptAt!)).toEqual(utf8('r2'));
    expect(state.changed).toBe(true);
    expect(state.rows[0]).toMatchObject({ runKind: 'restore', path: 'r.txt', action: 'replaced' });
  });

  it('a restore that fails names the version it could not put back, which stays kept', async () => {
    const { h, state, first } = await twoRuns();
    const row = state.rows.find((r) => r.run === first && r.path === 'r.txt')!;
    h.y.failNext('write', undefined, 'permission-denied');
    await state.restore(row);
    expect(state.restoreFailed?.reason).toBe(`injected permission-denied. The version is still kept in .quintet/versions/${first}/r.txt in the folder ${h.y.name}: it can be copied back by hand.`);
    expect(h.y.readFile(`.quintet/versions/${first}/r.txt`)).toEqual(utf8('r0'));
    expect(h.y.readFile('r.txt')).toEqual(utf8('r2'));
  });

  it('undoes the last run on every source whose last run it is, and says what it put back', async () => {
    const { h, state, second, forgotten } = await twoRuns();
    const target = await state.undoTarget();
    expect(target).toMatchObject({ run: second });
    expect(target?.sources.map((s) => s.code)).toEqual(['A2']);
    await state.undo(target!);
    expect(state.undone).toEqual([{ source: 'A2', result: expect.objectContaining({ run: second, restored: ['r.txt'], leftAlone: [] }) }]);
    expect(forgotten).toEqual([['r.txt']]); // the session forgets the base of what the undo put back (two-way after undo)
    expect(h.y.readFile('r.txt')).toEqual(utf8('r1'));
  });

  it('says so when writing is not allowed, and changes nothing', async () => {
    const { h, state } = await twoRuns();
    h.y.access = async () => 'denied';
    await state.undo((await state.undoTarget())!);
    expect(state.error?.key).toBe('versions.denied');
    expect(h.y.readFile('r.txt')).toEqual(utf8('r2'));
  });

  it('gives a cloud member its own folders only, coded by their place among its sources (a file source has no versions)', async () => {
    const folder = MemFs.from({}), file = MemFs.file('notes.txt', 'n'), other = MemFs.from({});
    expect(ownVersionSources('B', [{ source: folder }, { source: file }, { source: other }])).toEqual([{ code: 'B1', sink: folder }, { code: 'B3', sink: other }]);
    expect(ownVersionSources('C', [])).toEqual([]);
  });
});
