import { describe, expect, it } from 'vitest';
import { folderTree, isUnder } from './folder-tree.ts';
import type { ComparisonRow, ComparisonStatus } from './types.ts';

const dir = { kind: 'directory' } as const;
const file = { kind: 'file', size: 1, hash: 'h' } as const;
const row = (path: string, status: ComparisonStatus, isDir = false): ComparisonRow =>
  ({ path, status, cells: { A1: isDir ? dir : file, A2: status === 'missing' ? null : isDir ? dir : file } }) as ComparisonRow;

describe('folderTree', () => {
  it('counts the items under each folder and those that differ, at any depth, children by name', () => {
    const tree = folderTree([
      row('docs', 'identical', true),
      row('docs/a.txt', 'identical'),
      row('docs/old', 'missing', true),
      row('docs/old/b.txt', 'missing'),
      row('photos/x.jpg', 'different'), // no row for 'photos' itself (Flat, or the folder excluded)
      row('top.txt', 'conflict'),
    ]);
    expect(tree).toMatchObject({ path: '', items: 6, differing: 4 });
    expect(tree.children.map((c) => [c.path, c.items, c.differing])).toEqual([['docs', 3, 2], ['photos', 1, 1]]);
    const docs = tree.children[0]!;
    expect(docs.children.map((c) => [c.path, c.name, c.items, c.differing])).toEqual([['docs/old', 'old', 1, 1]]);
    expect(docs.children[0]!.children).toEqual([]);
  });

  it('is empty for no rows', () => {
    expect(folderTree([])).toEqual({ path: '', name: '', items: 0, differing: 0, children: [] });
  });

  it('tells what lies under a folder, without taking a sibling with the same prefix', () => {
    expect(isUnder('docs/a.txt', 'docs')).toBe(true);
    expect(isUnder('docs', 'docs')).toBe(true);
    expect(isUnder('docs2/a.txt', 'docs')).toBe(false);
    expect(isUnder('anything', '')).toBe(true);
  });
});
