/** Mirror X→Y: make Y hold exactly what X holds, keeping everything Y loses under its versions folder. */
import type { Comparison } from '../compare/types.ts';
import type { Action, Plan } from './types.ts';
import { ambiguous, assemble, checkDirection, copyOf, coveredBy, pathKey, pathResolver, unreadableSet, unreadAncestors, type Direction, type PlanSource } from './plan-common.ts';

/**
 * Plans Mirror `from` → `to` over a comparison. Missing directories are created parents
 * first; missing or different files copied (`replaces` says what stood there); what `to`
 * has and `from` lacks is deleted, one action for a whole directory. A file where the other
 * side has a directory (or the reverse) replaces it. From a single-file source, only that
 * file is written and nothing is deleted. Rows at or under unreadable paths are left alone, and
 * a directory holding one is never deleted or replaced whole: only the unread item is skipped.
 */
export function planMirror(comparison: Comparison, direction: Direction, sources: readonly PlanSource[]): Plan {
  const checked = checkDirection(comparison, direction, sources);
  if ('actions' in checked) return checked;
  const { from, to } = direction;
  const fileSource = checked.from.rootKind === 'file';
  const { set: unread, refusals } = unreadableSet(comparison, [from, to]);
  const key = pathKey(comparison);
  const on = pathResolver(comparison);
  const holding = unreadAncestors(unread, key); // directories holding something unread: handled item by item
  const gone = new Set<string>(); // target directories deleted or replaced whole
  const deletes: Action[] = [];
  const writes: Action[] = [];

  for (const row of comparison.rows) {
    if (coveredBy(row.path, unread, true) || coveredBy(key(row.path), gone, false)) continue;
    const odd = ambiguous(row, [from, to]);
    if (odd) {
      refusals.push(odd);
      continue;
    }
    const x = row.cells[from] ?? null;
    const y = row.cells[to] ?? null;
    const at = on(row, to, from);
    if (!x) {
      if (!y || fileSource) continue;
      // Deleting it whole would take the unread item along: its readable contents go one by one instead.
      if (y.kind === 'directory' && holding.has(key(row.path))) {
        refusals.push({ path: row.path, reason: 'unreadable', detail: to });
        continue;
      }
      deletes.push({ type: 'delete', target: to, path: at, kind: y.kind });
      if (y.kind === 'directory') gone.add(key(row.path));
    } else if (x.kind === 'directory') {
      if (y?.kind === 'directory') continue;
      if (y) deletes.push({ type: 'delete', target: to, path: at, kind: 'file' });
      writes.push({ type: 'mkdir', target: to, path: at });
    } else if (!y) {
      writes.push(copyOf(row, from, x, to, null, at));
    } else if (y.kind === 'directory') {
      if (holding.has(key(row.path))) {
        refusals.push({ path: row.path, reason: 'unreadable', detail: to }); // replacing it would take the unread item along
        continue;
      }
      writes.push(copyOf(row, from, x, to, 'directory', at));
      gone.add(key(row.path));
    } else if (y.hash !== x.hash) {
      writes.push(copyOf(row, from, x, to, 'file', at));
    }
  }
  return assemble(deletes, writes, refusals, comparison);
}
