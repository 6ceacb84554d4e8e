import { describe, expect, it } from 'vitest';
import { compareInventories } from './compare.ts';
import type { Inventory, InventoryItem } from '../inventory/types.ts';

const f = (path: string, hash: string, mtime = 1, size = 1): InventoryItem => ({ kind: 'file', path, size, mtime, blockSize: 131072, blocks: [], hash });
const d = (path: string): InventoryItem => ({ kind: 'directory', path });
const inv = (source: string, items: InventoryItem[], extra: Partial<Inventory> = {}): Inventory => ({
  source, rootKind: 'directory', rootName: source, items, errors: [],
  stats: { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 }, takenAt: 0, ...extra,
});

describe('compareInventories', () => {
  it('numbers content groups by first appearance and sets statuses', () => {
    const c = compareInventories([
      inv('A1', [f('same', 'h1'), f('diff', 'x'), f('only1', 'o'), d('dir'), f('mixed', 'm')]),
      inv('A2', [f('same', 'h1'), f('diff', 'y'), d('dir'), d('mixed')]),
      inv('A3', [f('same', 'h1'), f('diff', 'x'), d('dir'), f('mixed', 'm')]),
    ]);
    const row = (p: string) => c.rows.find((r) => r.path === p)!;
    expect(c.sources).toEqual(['A1', 'A2', 'A3']);
    expect(c.rows.map((r) => r.path)).toEqual(['diff', 'dir', 'mixed', 'only1', 'same']);
    expect(row('same').status).toBe('identical');
    expect(row('dir').status).toBe('identical');
    expect(row('diff').status).toBe('different');
    expect([row('diff').cells.A1?.group, row('diff').cells.A2?.group, row('diff').cells.A3?.group]).toEqual([1, 2, 1]);
    expect(row('only1')).toMatchObject({ status: 'missing', cells: { A2: null, A3: null } });
    expect(row('mixed').status).toBe('conflict');
  });

  it('keeps NFC and NFD names apart, and case too', () => {
    const c = compareInventories([inv('A1', [f('caf\u00e9', 'h'), f('Readme', 'r')]), inv('A2', [f('cafe\u0301', 'h'), f('README', 'r')])]);
    expect(c.rows).toHaveLength(4);
    expect(c.rows.every((r) => r.status === 'missing')).toBe(true);
  });

  it('compares single files with each other whatever their names', () => {
    const c = compareInventories([
      inv('A1', [f('a.txt', 'h')], { rootKind: 'file', rootName: 'a.txt' }),
      inv('A2', [f('b.txt', 'h')], { rootKind: 'file', rootName: 'b.txt' }),
    ]);
    expect(c.rows).toEqual([expect.objectContaining({ path: 'a.txt', status: 'identical' })]);
  });

  it('lets a single file take part under its own name beside folders', () => {
    const c = compareInventories([inv('A1', [f('a.txt', 'h'), d('sub')]), inv('A2', [f('a.txt', 'g')], { rootKind: 'file', rootName: 'a.txt' })]);
    expect(c.rows.map((r) => [r.path, r.status])).toEqual([['a.txt', 'different'], ['sub', 'missing']]);
  });

  it('reports what each source could not read', () => {
    const c = compareInventories([inv('A1', [], { errors: [{ path: '', code: 'permission-denied', message: '' }] }), inv('A2', [f('x', 'h')])]);
    expect(c.unreadable).toEqual({ A1: [''] });
  });

  it('stays fast at 100k items per source', () => {
    const a: InventoryItem[] = [];
    const b: InventoryItem[] = [];
    for (let i = 0; i < 100_000; i++) {
      a.push(f(`d${i % 100}/f${i}`, `h${i}`));
      if (i % 3) b.push(f(`d${i % 100}/f${i}`, i % 7 ? `h${i}` : 'other'));
    }
    const t = performance.now();
    const c = compareInventories([inv('A1', a), inv('A2', b)]);
    expect(c.rows).toHaveLength(100_000);
    expect(performance.now() - t).toBeLessThan(3000);
  });
});
