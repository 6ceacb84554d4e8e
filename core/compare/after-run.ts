/** The comparison as a run left it: the completed actions applied to each source's cells, statuses and groups again. */
import type { Action } from '../plan/types.ts';
import type { WrittenFile } from '../transfer/types.ts';
import type { Comparison, ComparisonCell, ComparisonRow } from './types.ts';
import { groupAndStatus } from './compare.ts';
import { comparePaths } from '../paths.ts';
import { coveredBy, pathKey } from '../plan/plan-common.ts';

/**
 * What the grid shows once a run is done, without reading the folders again: deletions first (a deleted directory
 * takes its contents, as apply runs them), then directories made and files copied, each copy taking its written
 * size, date and hash. Only `applied` moves a cell, so a failed or stopped action still shows the state it left.
 * A copy to a path with no row (a conflict copy) gets its row. Rows are new objects; the input is not changed.
 */
export function comparisonAfterRun(comparison: Comparison, applied: readonly Action[], written: readonly WrittenFile[] = []): Comparison {
  const key = pathKey(comparison);
  const codes = comparison.sources;
  const rows = new Map<string, ComparisonRow>();
  for (const row of comparison.rows) rows.set(key(row.path), { ...row, cells: { ...row.cells } });
  const rowAt = (path: string): ComparisonRow => {
    let row = rows.get(key(path));
    if (!row) rows.set(key(path), (row = { path, cells: Object.fromEntries(codes.map((c) => [c, null])), status: 'missing' }));
    return row;
  };

  const gone = new Map<string, Set<string>>();
  for (const a of applied) {
    if (a.type !== 'delete') continue;
    const row = rows.get(key(a.path));
    if (row) row.cells[a.target] = null;
    if (a.kind === 'directory') {
      const set = gone.get(a.target) ?? new Set<string>();
      set.add(key(a.path));
      gone.set(a.target, set);
    }
  }
  for (const [code, set] of gone) for (const [k, row] of rows) if (coveredBy(k, set, false)) row.cells[code] = null;

  const writtenAt = new Map(written.map((w) => [`${w.target}\0${key(w.path)}`, w]));
  for (const a of applied) {
    if (a.type === 'mkdir') {
      rowAt(a.path).cells[a.target] = { kind: 'directory' };
    } else if (a.type === 'copy') {
      const w = writtenAt.get(`${a.target}\0${key(a.targetPath)}`);
      const row = rowAt(a.targetPath);
      const cell: ComparisonCell = { kind: 'file', size: w?.size ?? a.size, hash: w?.hash ?? a.hash, blockSize: a.blockSize, blocks: a.blocks };
      const mtime = w?.mtime ?? a.mtime;
      if (mtime !== undefined) cell.mtime = mtime;
      if (a.targetPath !== row.path) cell.path = a.targetPath;
      row.cells[a.target] = cell;
    }
  }

  const kept: Array<[string, ComparisonRow]> = [];
  for (const [k, row] of rows) {
    // Groups are numbered again: copy each cell so the input's cells keep theirs.
    for (const c of codes) {
      const cell = row.cells[c];
      if (cell) row.cells[c] = { ...cell };
    }
    if (codes.every((c) => !row.cells[c]) && !row.unreadable) continue; // deleted everywhere: no row left
    row.status = groupAndStatus(codes, row.cells);
    kept.push([k, row]);
  }
  kept.sort(([ka, a], [kb, b]) => comparePaths(ka, kb) || comparePaths(a.path, b.path));
  return { ...comparison, rows: kept.map(([, row]) => row) };
}
