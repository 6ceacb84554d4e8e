import { describe, expect, it } from 'vitest';
import { compareInventories } from './compare.ts';
import { comparisonAfterRun } from './after-run.ts';
import { planMirror } from '../plan/mirror.ts';
import type { Inventory, InventoryItem } from '../inventory/types.ts';

const f = (path: string, hash: string, mtime = 1, size = 1): InventoryItem => ({ kind: 'file', path, size, mtime, blockSize: 131072, blocks: [], hash });
const d = (path: string): InventoryItem => ({ kind: 'directory', path });
const inv = (source: string, items: InventoryItem[]): Inventory => ({
  source, rootKind: 'directory', rootName: source, items, errors: [],
  stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 }, takenAt: 0,
});
const sources = [{ code: 'A1', rootKind: 'directory' as const, name: 'A1' }, { code: 'A2', rootKind: 'directory' as const, name: 'A2' }];

describe('comparisonAfterRun', () => {
  const before = compareInventories([
    inv('A1', [f('same', 'h'), f('diff', 'x', 5, 3), d('new'), f('new/a', 'a')]),
    inv('A2', [f('same', 'h'), f('diff', 'y'), d('old'), f('old/b', 'b'), f('extra', 'e')]),
  ]);

  it('shows a completed mirror as identical everywhere, with the written dates', () => {
    const plan = planMirror(before, { from: 'A1', to: 'A2' }, sources);
    const written = [{ target: 'A2', path: 'diff', size: 3, mtime: 99, blockSize: 131072, blocks: [], hash: 'x' }];
    const after = comparisonAfterRun(before, plan.actions, written);
    expect(after.rows.map((r) => [r.path, r.status])).toEqual([['diff', 'identical'], ['new', 'identical'], ['new/a', 'identical'], ['same', 'identical']]);
    expect(after.rows[0]?.cells.A2).toMatchObject({ size: 3, mtime: 99, group: 1 });
  });

  it('leaves what did not complete as it was, and the input untouched', () => {
    const plan = planMirror(before, { from: 'A1', to: 'A2' }, sources);
    const applied = plan.actions.filter((a) => !(a.type === 'copy' && a.path === 'diff'));
    const after = comparisonAfterRun(before, applied);
    const diff = after.rows.find((r) => r.path === 'diff');
    expect(diff?.status).toBe('different');
    expect(diff?.cells.A2?.group).toBe(2);
    expect(before.rows.find((r) => r.path === 'extra')?.cells.A2).not.toBeNull();
    expect(before.rows.find((r) => r.path === 'new/a')?.status).toBe('missing');
  });

  it('adds a row for a copy to a new path', () => {
    const copy = { type: 'copy' as const, from: 'A1', target: 'A2', path: 'same', targetPath: 'same.conflict.txt', size: 1, hash: 'h', blockSize: 1, blocks: [], replaces: null };
    const after = comparisonAfterRun(before, [copy]);
    expect(after.rows.find((r) => r.path === 'same.conflict.txt')).toMatchObject({ status: 'missing', cells: { A1: null, A2: { kind: 'file', hash: 'h' } } });
  });
});
