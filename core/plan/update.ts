/** Update X→Y: copy what Y lacks and what X has newer; never delete, never replace a directory. */
import type { Comparison } from '../compare/types.ts';
import type { Action, Plan } from './types.ts';
import { ambiguous, assemble, checkDirection, copyOf, coveredBy, pathKey, pathResolver, unreadableSet, type Direction, type PlanSource } from './plan-common.ts';

/**
 * Plans Update `from` → `to`: missing directories and files are created, a file that
 * differs is copied only when `from`'s mtime is newer (mtimes of one machine: a Local
 * Session compares its own clock with itself). Nothing is deleted; where one side has a
 * file and the other a directory, the row and everything under it is left alone.
 */
export function planUpdate(comparison: Comparison, direction: Direction, sources: readonly PlanSource[]): Plan {
  const checked = checkDirection(comparison, direction, sources);
  if ('actions' in checked) return checked;
  const { from, to } = direction;
  const { set: unread, refusals } = unreadableSet(comparison, [from, to]);
  const key = pathKey(comparison);
  const on = pathResolver(comparison);
  const skipped = new Set<string>();
  const writes: Action[] = [];

  for (const row of comparison.rows) {
    if (coveredBy(row.path, unread, true) || coveredBy(key(row.path), skipped, false)) continue;
    const odd = ambiguous(row, [from, to]);
    if (odd) {
      refusals.push(odd);
      continue;
    }
    const x = row.cells[from] ?? null;
    const y = row.cells[to] ?? null;
    const at = on(row, to, from);
    if (!x) continue;
    if (x.kind === 'directory') {
      if (!y) writes.push({ type: 'mkdir', target: to, path: at });
      else if (y.kind === 'file') skipped.add(key(row.path));
    } else if (!y) {
      writes.push(copyOf(row, from, x, to, null, at));
    } else if (y.kind === 'file' && y.hash !== x.hash && (x.mtime ?? 0) > (y.mtime ?? 0)) {
      writes.push(copyOf(row, from, x, to, 'file', at));
    }
  }
  return assemble([], writes, refusals, comparison, unread);
}
