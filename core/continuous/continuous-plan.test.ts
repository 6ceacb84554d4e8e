import { describe, expect, it } from 'vitest';
import { harness } from '../testing/harness.ts';
import { MemFs } from '../testing/memfs.ts';
import { patternBytes } from '../testing/bytes.ts';
import { localMoves } from './continuous-plan.ts';
import { restrictComparison } from '../plan/restrict.ts';

describe('continuous plans', () => {
  it('a renamed folder: its files are copied from the receiver’s own old folder, before that folder goes to versions', async () => {
    const content = patternBytes(300_000, 7);
    const h = harness(MemFs.from({ renamed: { 'x.bin': content, 'y.txt': 'why' } }, { name: 'X' }), MemFs.from({ old: { 'x.bin': content, 'y.txt': 'why' } }, { name: 'Y' }));
    const comparison = await h.compare();
    const { plan, moved } = localMoves(await h.plan('mirror'), comparison);
    expect(moved).toBe(2);
    expect(plan.actions.filter((a) => a.type === 'copy').map((a) => a.type === 'copy' && [a.from, a.path, a.targetPath])).toEqual([
      ['A2', 'old/x.bin', 'renamed/x.bin'], ['A2', 'old/y.txt', 'renamed/y.txt'],
    ]);
    h.x.failAlways('open', undefined, 'io'); // nothing may be read from the sender's folder
    const result = await h.apply(plan);
    expect(result.failures).toEqual([]);
    expect(h.y.readFile('renamed/x.bin')).toEqual(content);
    expect(h.y.readFile('old/x.bin')).toBeUndefined();
    expect(Object.keys(h.y.snapshot({ under: '.quintet/versions' })).some((p) => p.endsWith('old/x.bin'))).toBe(true);
  });

  it('a copy whose content the receiver does not delete stays a copy from its sender', async () => {
    const h = harness(MemFs.from({ 'a.txt': 'new' }, { name: 'X' }), MemFs.from({ 'b.txt': 'new' }, { name: 'Y' }));
    const plan = await h.plan('update');
    expect(localMoves(plan, await h.compare())).toEqual({ plan, moved: 0 });
  });

  it('restrictComparison keeps the given sources’ columns and only the rows one of them holds', async () => {
    const h = harness(MemFs.from({ 'x-only.txt': 'x', 'both.txt': '1' }, { name: 'X' }), MemFs.from({ 'y-only.txt': 'y', 'both.txt': '2' }, { name: 'Y' }));
    const c = restrictComparison(await h.compare(), new Set(['A1']));
    expect(c.sources).toEqual(['A1']);
    expect(c.rows.map((r) => [r.path, Object.keys(r.cells)])).toEqual([['both.txt', ['A1']], ['x-only.txt', ['A1']]]);
  });
});
