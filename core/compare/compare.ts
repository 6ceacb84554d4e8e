/** Inventories → one comparison: rows by relative path (Tree matching), content groups per row, statuses. */
import type { Inventory, InventoryItem } from '../inventory/types.ts';
import type { Comparison, ComparisonCell, ComparisonRow, ComparisonStatus } from './types.ts';
import { comparePaths } from '../paths.ts';

/**
 * Compares inventories, in column order. Items match by exact relative path (no case
 * folding, no Unicode normalization: NFC and NFD names are two rows). When every source is a
 * single file they are compared with each other whatever their names, in one row named after
 * the first source's file; otherwise a single-file source takes part under its own name at
 * the root. Linear in the number of items plus one sort.
 */
export function compareInventories(inventories: readonly Inventory[]): Comparison {
  const sources = inventories.map((inv) => inv.source);
  const allFiles = inventories.length > 0 && inventories.every((inv) => inv.rootKind === 'file');
  const rowsByPath = new Map<string, Record<string, ComparisonCell | null>>();
  const cellsFor = (path: string) => {
    let cells = rowsByPath.get(path);
    if (!cells) {
      cells = Object.fromEntries(sources.map((code) => [code, null]));
      rowsByPath.set(path, cells);
    }
    return cells;
  };

  const firstName = inventories[0]?.rootName ?? '';
  for (const inv of inventories) {
    for (const item of inv.items) cellsFor(allFiles ? firstName : item.path)[inv.source] = cellOf(item);
  }
  if (allFiles) cellsFor(firstName);

  const paths = [...rowsByPath.keys()].sort(comparePaths);
  const rows: ComparisonRow[] = paths.map((path) => {
    const cells = rowsByPath.get(path) as Record<string, ComparisonCell | null>;
    return { path, cells, status: groupAndStatus(sources, cells) };
  });
  const unreadable: Record<string, string[]> = {};
  for (const inv of inventories) {
    if (inv.errors.length > 0) unreadable[inv.source] = inv.errors.map((e) => (allFiles ? '' : e.path));
  }
  return { sources, rows, unreadable };
}

function cellOf(item: InventoryItem): ComparisonCell {
  if (item.kind === 'directory') return { kind: 'directory' };
  return { kind: 'file', size: item.size, mtime: item.mtime, hash: item.hash, blockSize: item.blockSize, blocks: item.blocks };
}

/** Numbers content groups 1, 2 … by first appearance in column order, and derives the row status. */
function groupAndStatus(sources: readonly string[], cells: Record<string, ComparisonCell | null>): ComparisonStatus {
  const groups = new Map<string, number>();
  let present = 0;
  let files = 0;
  let dirs = 0;
  for (const code of sources) {
    const cell = cells[code];
    if (!cell) continue;
    present++;
    if (cell.kind === 'directory') {
      dirs++;
      continue;
    }
    files++;
    const hash = cell.hash ?? '';
    let group = groups.get(hash);
    if (group === undefined) groups.set(hash, (group = groups.size + 1));
    cell.group = group;
  }
  if (files > 0 && dirs > 0) return 'conflict';
  if (present < sources.length) return 'missing';
  return groups.size > 1 ? 'different' : 'identical';
}
