/**
 * Sources a Two-way leaves out: a comparison restricted to some of its sources (a paused member, continuous rounds),
 * a source that lists nothing where its base held many files (an unmounted disk, a folder swapped for an empty one),
 * and one whose root could not be listed at all.
 */
import type { Comparison, ComparisonRow } from '../compare/types.ts';
import type { BaseStates } from '../base/base-types.ts';

/**
 * The comparison as if only `keep` sources took part: their columns, the rows one of them holds or could not read.
 * Two-way over it neither spreads a left-out source's changes nor writes there; the base (per source, kept where the
 * sources still differ: core/base/base-store.ts) then lets the left-out source catch up once it takes part again.
 */
export function restrictComparison(comparison: Comparison, keep: ReadonlySet<string>): Comparison {
  const codes = comparison.sources.filter((c) => keep.has(c));
  const rows: ComparisonRow[] = [];
  for (const row of comparison.rows) {
    const cells = Object.fromEntries(codes.map((c) => [c, row.cells[c] ?? null]));
    const unreadable = row.unreadable?.filter((c) => keep.has(c));
    if (codes.every((c) => cells[c] === null) && !unreadable?.length) continue;
    const duplicates = row.duplicates?.filter((c) => keep.has(c));
    rows.push({ ...row, cells, ...(row.unreadable ? { unreadable } : {}), ...(row.duplicates ? { duplicates } : {}) });
  }
  const unreadable = comparison.unreadable ? Object.fromEntries(Object.entries(comparison.unreadable).filter(([c]) => keep.has(c))) : undefined;
  return { ...comparison, sources: codes, rows, ...(unreadable ? { unreadable } : {}) };
}

/**
 * The sources whose root itself could not be listed (a folder removed or moved, a disk not mounted, a handle gone
 * stale in the browser). Two-way leaves them out as it does an emptied source, so the others still synchronize among
 * themselves; nothing is ever written there (a folder is never made again where one was removed).
 */
export function unreadRoots(comparison: Comparison): string[] {
  return comparison.sources.filter((c) => comparison.unreadable?.[c]?.includes('') === true);
}

/**
 * How many files a source's base must have held for its sudden emptiness to be left out rather than spread. A handful
 * of files deleted by hand (a drop folder cleared) is common and spreads as ever (into the others' versions); a whole
 * tree gone at once is what an unmount looks like, and would take the others' whole folders with it.
 */
export const EMPTIED_MIN_FILES = 10;

/**
 * The sources that hold nothing at all (no item, nothing unread) although their base held files (at least
 * EMPTIED_MIN_FILES) and another source still holds something. An empty folder where a full one stood is far more
 * often a disk not mounted, a network share gone or a folder replaced than a user who deleted everything; read as
 * deletions, it would empty every other member's folder (into versions) and then fill the mount point. Syncthing stops such a folder (its `.stfolder` marker), Unison
 * asks before propagating a replica "completely emptied"; Two-way leaves it out (as a paused source) and says so
 * (`emptied`), and the base keeps its previous entries (baseAfterRun), so once it is back it is just behind.
 * A Mirror from it is refused (presets.ts): a nightly backup from an unmounted disk would empty the backup. A user who
 * did empty it deletes on the others too.
 */
export function emptiedSources(comparison: Comparison, base: BaseStates | null): string[] {
  if (!base) return [];
  const holds = new Set<string>();
  for (const row of comparison.rows) for (const [code, cell] of Object.entries(row.cells)) if (cell) holds.add(code);
  for (const [code, paths] of Object.entries(comparison.unreadable ?? {})) if (paths.length > 0) holds.add(code);
  if (holds.size === 0) return [];
  return comparison.sources.filter((c) => !holds.has(c) && heldFiles(base[c]));
}

function heldFiles(states: BaseStates[string] | undefined): boolean {
  let files = 0;
  for (const s of states?.values() ?? []) if (s?.startsWith('f:') && ++files >= EMPTIED_MIN_FILES) return true;
  return false;
}
