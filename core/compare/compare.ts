/** Inventories → one comparison: rows by relative path (Tree) or name (Flat), case-folded or not, content groups, statuses. */
import type { Inventory, InventoryItem } from '../inventory/types.ts';
import type { Comparison, ComparisonCell, ComparisonRow, ComparisonStatus, CompareOptions } from './types.ts';
import { ancestors, baseName, comparePaths } from '../paths.ts';

/** Tree matching, case-sensitive, files and directories: the behaviour of issue 2. */
export const DEFAULT_COMPARE: Readonly<CompareOptions> = { matching: 'tree', caseSensitive: true, dataType: 'files-and-directories' };

/**
 * Compares inventories, in column order. Tree: items match by relative path; Flat: files
 * match by name wherever they sit (directories take no part). Names are never Unicode-
 * normalized (NFC and NFD are two rows); with `caseSensitive: false` a row gathers names that
 * differ only by case (`toLowerCase`), spelled as its first holder spells it, each cell
 * keeping its own spelling in `path`. A source holding two items of one row (Flat: a name in
 * two folders) is listed in `duplicates` and the row is never acted on: picking one silently
 * would be a guess. Data type "files" drops rows that are directories everywhere; "directories" drops file rows and
 * marks directories that hold files. When every source is a single file they are compared
 * with each other whatever their names. Linear in the number of items plus one sort.
 */
export function compareInventories(inventories: readonly Inventory[], options: CompareOptions = DEFAULT_COMPARE): Comparison {
  const sources = inventories.map((inv) => inv.source);
  const allFiles = inventories.length > 0 && inventories.every((inv) => inv.rootKind === 'file');
  const flat = options.matching === 'flat' && !allFiles;
  const fold = (key: string) => (options.caseSensitive ? key : key.toLowerCase());
  const rowsByKey = new Map<string, { key: string; path: string; cells: Record<string, ComparisonCell | null>; dup?: Set<string>; unread?: Set<string> }>();
  const rowFor = (key: string, path: string) => {
    let row = rowsByKey.get(key);
    if (!row) {
      row = { key, path, cells: Object.fromEntries(sources.map((code) => [code, null])) };
      rowsByKey.set(key, row);
    }
    return row;
  };

  const firstName = inventories[0]?.rootName ?? '';
  for (const inv of inventories) {
    const withFiles = options.dataType === 'directories' ? dirsHoldingFiles(inv.items) : null;
    for (const item of inv.items) {
      if (!keeps(item, options, flat)) continue;
      const path = allFiles ? firstName : flat ? baseName(item.path) : item.path;
      const row = rowFor(fold(path), path);
      if (row.cells[inv.source]) (row.dup ??= new Set()).add(inv.source);
      const cell = cellOf(item);
      if (item.path !== row.path && !allFiles) cell.path = item.path;
      if (withFiles?.has(item.path)) cell.holdsFiles = true;
      row.cells[inv.source] = cell;
    }
  }
  if (allFiles) rowFor(fold(firstName), firstName);
  // An item the walk saw but could not read gets its row too: shown as skipped, never silently missing.
  const unreadRows = new Set<string>();
  if (!allFiles) {
    for (const inv of inventories) {
      for (const e of inv.errors) {
        if (e.path === '') continue;
        const path = flat ? baseName(e.path) : e.path;
        const row = rowFor(fold(path), path);
        unreadRows.add(row.key);
        (row.unread ??= new Set()).add(inv.source);
      }
    }
  }

  // Data type "files": rows that are directories wherever they appear go; a directory facing a file stays, so a plan
  // replacing it knows it is there (and does not also plan its contents).
  const kept = options.dataType === 'files' ? [...rowsByKey.values()].filter((r) => unreadRows.has(r.key) || Object.values(r.cells).some((c) => c?.kind === 'file')) : [...rowsByKey.values()];
  const rows: ComparisonRow[] = kept
    // By folded key: a parent's key is a prefix of its children's, so parents still come first.
    .sort((a, b) => comparePaths(a.key, b.key) || comparePaths(a.path, b.path))
    .map(({ path, cells, dup, unread }) => ({
      path, cells, status: groupAndStatus(sources, cells),
      ...(dup ? { duplicates: sources.filter((s) => dup.has(s)) } : {}),
      ...(unread ? { unreadable: sources.filter((s) => unread.has(s)) } : {}),
    }));
  const unreadable: Record<string, string[]> = {};
  for (const inv of inventories) {
    if (inv.errors.length > 0) unreadable[inv.source] = inv.errors.map((e) => (allFiles ? '' : e.path));
  }
  return { sources, rows, unreadable, matching: { ...options } };
}

function keeps(item: InventoryItem, options: CompareOptions, flat: boolean): boolean {
  if (item.kind === 'directory') return !flat;
  return options.dataType !== 'directories';
}

/** Directories with at least one file somewhere below them (for data type "directories"). */
function dirsHoldingFiles(items: readonly InventoryItem[]): Set<string> {
  const out = new Set<string>();
  for (const item of items) if (item.kind === 'file') for (const a of ancestors(item.path)) out.add(a);
  return out;
}

function cellOf(item: InventoryItem): ComparisonCell {
  if (item.kind === 'directory') return { kind: 'directory' };
  return { kind: 'file', size: item.size, mtime: item.mtime, hash: item.hash, blockSize: item.blockSize, blocks: item.blocks };
}

/** Numbers content groups 1, 2 … by first appearance in column order, and derives the row status. */
export function groupAndStatus(sources: readonly string[], cells: Record<string, ComparisonCell | null>): ComparisonStatus {
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
