/** The comparison filter: free text on paths plus `status:`, `only:` and `has:actions` tokens, so 100k rows stay usable. */
import type { ComparisonRow, ComparisonStatus } from './types.ts';
import { isUnder } from './folder-tree.ts';

/** A parsed filter. Every part present must hold (AND). */
export interface RowFilter {
  /** Lower-cased words each found in the path. */
  words: string[];
  statuses: ComparisonStatus[];
  /** Rows present on this source and absent from every other. */
  onlyOn?: string;
  hasActions: boolean;
  /** Rows at or under this folder (the folder tree's choice; '' or absent: everywhere). */
  under?: string;
}

const STATUSES: readonly ComparisonStatus[] = ['identical', 'different', 'missing', 'conflict'];

/**
 * Parses the filter box: `status:missing` (repeatable: any of them), `only:A1`, `has:actions`;
 * every other word must appear in the path (case-insensitive). Token keywords are English in
 * every language, like search operators; unknown `key:value` words are searched as text.
 */
export function parseFilter(text: string): RowFilter {
  const filter: RowFilter = { words: [], statuses: [], hasActions: false };
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const [key, value = ''] = word.split(/:(.*)/s) as [string, string?];
    const k = key.toLowerCase();
    if (k === 'status' && (STATUSES as readonly string[]).includes(value.toLowerCase())) filter.statuses.push(value.toLowerCase() as ComparisonStatus);
    else if (k === 'only' && value) filter.onlyOn = value.toUpperCase();
    else if (k === 'has' && value.toLowerCase() === 'actions') filter.hasActions = true;
    else filter.words.push(word.toLowerCase());
  }
  return filter;
}

/** Whether a filter keeps nothing out. */
export function isEmptyFilter(f: RowFilter): boolean {
  return f.words.length === 0 && f.statuses.length === 0 && f.onlyOn === undefined && !f.hasActions && !f.under;
}

/** The rows a filter keeps, in order. `withActions` holds the paths the current plan acts on. One pass, no copies of rows. */
export function filterRows(rows: readonly ComparisonRow[], f: RowFilter, withActions: ReadonlySet<string> = new Set()): readonly ComparisonRow[] {
  if (isEmptyFilter(f)) return rows;
  return rows.filter((row) => {
    if (f.under && !isUnder(row.path, f.under)) return false;
    if (f.statuses.length > 0 && !f.statuses.includes(row.status)) return false;
    if (f.hasActions && !withActions.has(row.path)) return false;
    if (f.onlyOn !== undefined) {
      for (const [code, cell] of Object.entries(row.cells)) if ((code === f.onlyOn) !== (cell != null)) return false;
    }
    if (f.words.length > 0) {
      const path = row.path.toLowerCase();
      if (!f.words.every((w) => path.includes(w))) return false;
    }
    return true;
  });
}
