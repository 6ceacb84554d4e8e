/** Every conflict copy of a comparison, paired with its original: what the conflict centre lists (docs/protocol.md §5.4). */
import type { EntryKind } from '../ports.ts';
import type { Comparison, ComparisonCell, ComparisonRow } from '../compare/types.ts';
import { parseConflictPath } from './conflict-names.ts';

/** One side of a conflict as one source holds it. */
export interface ConflictSide {
  source: string;
  kind: EntryKind;
  /** Files only. */
  size?: number;
  mtime?: number;
  hash?: string;
}

/** A conflict copy ("this") and its original ("the other"), across every source of the comparison. */
export interface ConflictPair {
  /** The conflict copy's path (the row's: case-insensitive matching may spell it otherwise on some source). */
  path: string;
  /** The original's path, beside it. */
  original: string;
  /** The source whose version lost (from the name), and its member's letter. */
  source: string;
  member: string;
  /** When the conflict was found (the plan's time, local), ms; 0 if the name's stamp is not a date. */
  madeAt: number;
  /** The copy on every source that holds it, in column order. */
  copy: ConflictSide[];
  /** The original on every source that holds it (none once it was deleted since). */
  other: ConflictSide[];
  /** Some source holds another content of the copy than the first one does (a later edit of the copy itself). */
  copyDiffers: boolean;
  /** A source could not read one of the two, or holds two items matching a row: resolving it is refused. */
  blocked: boolean;
}

function sides(row: ComparisonRow | undefined, sources: readonly string[]): ConflictSide[] {
  if (!row) return [];
  return sources.flatMap((source) => {
    const cell: ComparisonCell | null | undefined = row.cells[source];
    if (!cell) return [];
    return [{ source, kind: cell.kind, ...(cell.kind === 'file' ? { size: cell.size, mtime: cell.mtime, hash: cell.hash } : {}) }];
  });
}

/**
 * Finds every row of `comparison` whose name is a conflict copy's and that some source holds as a file, and pairs it
 * with the row of its original (matched as the comparison matches rows: case folded when it is case-insensitive).
 * Sorted as the comparison is (by path).
 */
export function findConflicts(comparison: Comparison): ConflictPair[] {
  const fold = (path: string) => (comparison.matching?.caseSensitive === false ? path.toLowerCase() : path);
  const rows = new Map(comparison.rows.map((row) => [fold(row.path), row]));
  const out: ConflictPair[] = [];
  for (const row of comparison.rows) {
    const name = parseConflictPath(row.path);
    if (!name) continue;
    const copy = sides(row, comparison.sources).filter((s) => s.kind === 'file');
    if (copy.length === 0) continue;
    const originalRow = rows.get(fold(name.original));
    const blocked = [row, originalRow].some((r) => r !== undefined && ((r.unreadable?.length ?? 0) > 0 || (r.duplicates?.length ?? 0) > 0));
    out.push({
      path: row.path, original: originalRow?.path ?? name.original, source: name.source, member: name.source.slice(0, 1), madeAt: name.madeAt,
      copy, other: sides(originalRow, comparison.sources), copyDiffers: copy.some((s) => s.hash !== copy[0]?.hash), blocked,
    });
  }
  return out;
}
