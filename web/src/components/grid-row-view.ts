/** One comparison row as the grid's plain strings, made once per row and kept until the language, plan or skips change. */
import { t, i18n } from '../i18n/i18n.svelte.ts';
import type { ComparisonRow } from '../../../core/compare/types.ts';
import type { Action } from '../../../core/plan/types.ts';
import { actionText, groupLetter, rowStatusText } from './grid-text.ts';

/** A source's cell: absent, a directory, or a file with its content letter, size and date. */
export type CellView =
  | { kind: 'absent' | 'directory'; text: string }
  | { kind: 'file'; letter: string; named: string; tone: string; size: string; date: string; fullDate: string; iso: string };

export interface RowView {
  /** The checkbox's accessible name. */
  select: string;
  cells: CellView[];
  /** "Skipped: …" when the row is skipped ('' otherwise), else `status` is shown. */
  skipped: string;
  status: string;
  /** " · duplicates on …" or ''. */
  duplicates: string;
  /** "Conflict" on a two-way conflict's row, else ''. */
  conflict: string;
  /** The row's actions, "A1 → A2; …". */
  actions: string;
}

/** What a row's words depend on beside the row itself. */
export interface RowContext {
  sources: readonly string[];
  actions: ReadonlyMap<string, readonly Action[]>;
  conflictCopies: ReadonlySet<string>;
  conflicts: ReadonlySet<string>;
  skipped: ReadonlyMap<string, string>;
}

function cellView(cell: ComparisonRow['cells'][string] | undefined): CellView {
  if (!cell) return { kind: 'absent', text: t('cell.absent') };
  if (cell.kind === 'directory') return { kind: 'directory', text: t('cell.directory') };
  const group = cell.group ?? 1;
  const letter = groupLetter(group);
  const has = cell.mtime !== undefined;
  return {
    kind: 'file', letter, named: t('grid.group', { letter }), tone: `g${(group - 1) % 6}`, size: i18n.bytes(cell.size ?? 0),
    date: has ? i18n.shortDate(cell.mtime!) : '', fullDate: has ? i18n.date(cell.mtime!) : '', iso: has ? new Date(cell.mtime!).toISOString() : '',
  };
}

/** The row's strings in the current language. */
export function rowView(row: ComparisonRow, ctx: RowContext): RowView {
  return {
    select: t('comparison.select', { path: row.path }),
    cells: ctx.sources.map((code) => cellView(row.cells[code])),
    skipped: ctx.skipped.get(row.path) ?? '',
    status: rowStatusText(row, ctx.sources),
    duplicates: row.duplicates ? ` · ${t('comparison.duplicates', { sources: row.duplicates.join(', ') })}` : '',
    conflict: ctx.conflicts.has(row.path) ? t('grid.conflict') : '',
    actions: (ctx.actions.get(row.path) ?? []).map((a) => actionText(a, a.type === 'copy' && ctx.conflictCopies.has(a.targetPath))).join('; '),
  };
}

/**
 * Row → its view, each made on first use and kept: a scroll frame brings ~13 rows into the DOM, and a row scrolled back
 * into view costs no formatting again. Make a new one when the context or the language changes.
 */
export function rowViews(ctx: RowContext): (row: ComparisonRow) => RowView {
  const made = new WeakMap<ComparisonRow, RowView>();
  return (row) => {
    let view = made.get(row);
    if (!view) made.set(row, (view = rowView(row, ctx)));
    return view;
  };
}
