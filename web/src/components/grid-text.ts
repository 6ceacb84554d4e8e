/** Words of the comparison grid: which side a row's status names, an action's direction, a content group's letter. */
import { t } from '../i18n/i18n.svelte.ts';
import type { ComparisonRow } from '../../../core/compare/types.ts';
import type { Action, Plan } from '../../../core/plan/types.ts';

/** "Only on A1" when one source holds the item, "Missing on A3" when others lack it; the other statuses as they are. */
export function rowStatusText(row: ComparisonRow, sources: readonly string[]): string {
  if (row.status === 'identical') return t('status.identical');
  if (row.status === 'different') return t('status.different');
  if (row.status === 'conflict') return t('status.conflict');
  const holders = sources.filter((code) => row.cells[code]);
  const lacking = sources.filter((code) => !row.cells[code]);
  // With two sources both read "Only on …"; with more, the shorter list is the one a reader needs.
  return holders.length <= lacking.length ? t('grid.onlyOn', { sources: holders.join(', ') }) : t('grid.missingOn', { sources: lacking.join(', ') });
}

/** "A1 → A2", "create directory on A2", "delete on A2", "keep as conflict copy on A1". */
export function actionText(action: Action, conflictCopy: boolean): string {
  if (action.type === 'copy') return conflictCopy ? t('action.conflictCopy', { to: action.target }) : t('grid.copy', { from: action.from, to: action.target });
  if (action.type === 'mkdir') return t('action.mkdir', { to: action.target });
  return t('action.delete', { to: action.target });
}

/** Content group 1, 2, 3 … → "a", "b", "c" … "z", "aa": a letter, so colour is never the only sign. */
export function groupLetter(group: number): string {
  let n = Math.max(1, Math.floor(group));
  let out = '';
  while (n > 0) {
    n--;
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  }
  return out;
}

/** Row path → its actions (a conflict copy shows on the row it comes from), and the rows a two-way conflict touches. */
export function actionsByRow(plan: Plan | null): { actions: Map<string, Action[]>; conflictCopies: Set<string>; conflicts: Set<string> } {
  const conflictOf = new Map((plan?.conflicts ?? []).flatMap((c) => c.losers.map((l) => [l.path, c.path] as const)));
  const actions = new Map<string, Action[]>();
  for (const action of plan?.actions ?? []) {
    const written = action.type === 'copy' ? action.targetPath : action.path;
    const path = conflictOf.get(written) ?? written;
    const list = actions.get(path) ?? [];
    list.push(action);
    actions.set(path, list);
  }
  return { actions, conflictCopies: new Set(conflictOf.keys()), conflicts: new Set((plan?.conflicts ?? []).map((c) => c.path)) };
}
