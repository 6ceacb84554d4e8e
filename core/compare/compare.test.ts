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

  // Speed at this size is measured by bench/engine (npm run bench:engine), never asserted in a test.
  it('compares 100k items per source into one row each, with the right statuses', () => {
    const a: InventoryItem[] = [];
    const b: InventoryItem[] = [];
    for (let i = 0; i < 100_000; i++) {
      a.push(f(`d${i % 100}/f${i}`, `h${i}`));
      if (i % 3) b.push(f(`d${i % 100}/f${i}`, i % 7 ? `h${i}` : 'other'));
    }
    const c = compareInventories([inv('A1', a), inv('A2', b)]);
    expect(c.rows).toHaveLength(100_000);
    const count = (status: string) => c.rows.filter((r) => r.status === status).length;
    // i % 3 === 0 → only on A1; otherwise on both, different when i % 7 === 0.
    const expected = { missing: 0, different: 0, identical: 0 };
    for (let i = 0; i < 100_000; i++) {
      if (i % 3 === 0) expected.missing++;
      else if (i % 7 === 0) expected.different++;
      else expected.identical++;
    }
    expect({ missing: count('missing'), different: count('different'), identical: count('identical') }).toEqual(expected);
  });
});

describe('compareInventories with settings', () => {
  it('Flat matches files by name wherever they sit, keeps each path, and flags a name held twice', () => {
    const c = compareInventories(
      [inv('A1', [d('x'), f('x/a.txt', 'h'), f('b.txt', 'b'), f('p/dup', '1'), f('q/dup', '2')]), inv('A2', [f('y/z/a.txt', 'h'), f('dup', '1')])],
      { matching: 'flat', caseSensitive: true, dataType: 'files-and-directories' },
    );
    expect(c.rows.map((r) => [r.path, r.status, r.duplicates])).toEqual([['a.txt', 'identical', undefined], ['b.txt', 'missing', undefined], ['dup', 'different', ['A1']]]);
    expect(c.rows[0]?.cells).toMatchObject({ A1: { path: 'x/a.txt' }, A2: { path: 'y/z/a.txt' } });
  });

  it('case-insensitive matching gathers names differing by case, parents first', () => {
    const c = compareInventories(
      [inv('A1', [d('docs'), f('docs/Read.md', 'h')]), inv('A2', [d('Docs'), f('Docs/read.md', 'h'), f('Docs/x', 'x')])],
      { matching: 'tree', caseSensitive: false, dataType: 'files-and-directories' },
    );
    expect(c.rows.map((r) => r.path)).toEqual(['docs', 'docs/Read.md', 'Docs/x']);
    expect(c.rows[1]).toMatchObject({ status: 'identical', cells: { A2: { path: 'Docs/read.md' } } });
    const sensitive = compareInventories([inv('A1', [f('a', 'h')]), inv('A2', [f('A', 'h')])]);
    expect(sensitive.rows.map((r) => r.status)).toEqual(['missing', 'missing']);
    const twice = compareInventories([inv('A1', [f('a', '1'), f('A', '2')]), inv('A2', [])], { matching: 'tree', caseSensitive: false, dataType: 'files-and-directories' });
    expect(twice.rows[0]?.duplicates).toEqual(['A1']);
  });

  it('data type files drops directories; directories drops files and marks folders holding some', () => {
    const items = [d('e'), d('full'), f('full/f', 'h'), f('top', 't')];
    const files = compareInventories([inv('A1', items)], { matching: 'tree', caseSensitive: true, dataType: 'files' });
    expect(files.rows.map((r) => r.path)).toEqual(['full/f', 'top']);
    const dirs = compareInventories([inv('A1', items)], { matching: 'tree', caseSensitive: true, dataType: 'directories' });
    expect(dirs.rows.map((r) => [r.path, r.cells.A1?.holdsFiles])).toEqual([['e', undefined], ['full', true]]);
  });
});
