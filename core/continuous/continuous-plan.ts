/** A continuous round's plan helper: rename-like pairs turned into local copies (paused sources are left out by core/plan/restrict.ts). */
import type { Comparison } from '../compare/types.ts';
import type { Action, CopyAction, Plan } from '../plan/types.ts';
import { coveredBy, pathKey } from '../plan/plan-common.ts';

/**
 * A rename seen by Two-way is a deletion of the old path and a creation of the new one; deletions run before copies
 * (docs/protocol.md §6), so the receiver's own old file is gone by the time the copy would reuse its blocks and every
 * byte would cross the network again. Here a copy of content H to target T, where T holds a file of content H that this
 * plan deletes (itself or a directory above it), reads T's own file instead: a copy within its own source to another
 * path, which apply runs before the deletions (unless that path itself is still to be cleared). No byte leaves its
 * member; the content is still checked block by block.
 * Returns the plan and how many copies became local.
 */
export function localMoves(plan: Plan, comparison: Comparison): { plan: Plan; moved: number } {
  const key = pathKey(comparison);
  const deleted = new Map<string, Set<string>>(); // target → deleted row keys
  for (const a of plan.actions) if (a.type === 'delete') (deleted.get(a.target) ?? deleted.set(a.target, new Set()).get(a.target)!).add(key(a.path));
  if (deleted.size === 0) return { plan, moved: 0 };
  const held = new Map<string, { path: string; mtime?: number }>(); // `${target}\0${hash}` → a file there about to go
  for (const row of comparison.rows) {
    for (const [code, gone] of deleted) {
      const cell = row.cells[code];
      if (cell?.kind !== 'file' || !cell.hash || !coveredBy(key(row.path), gone, true)) continue;
      const id = `${code}\0${cell.hash}`;
      if (!held.has(id)) held.set(id, { path: cell.path ?? row.path, ...(cell.mtime !== undefined ? { mtime: cell.mtime } : {}) });
    }
  }
  let moved = 0;
  const actions: Action[] = plan.actions.map((a) => {
    if (a.type !== 'copy' || a.conflict || a.from === a.target) return a;
    const own = held.get(`${a.target}\0${a.hash}`);
    // Early copies run before the deletions: one whose target path, or a directory above it, is still to be cleared
    // (a file there becoming a folder) cannot; it stays a copy from its sender.
    if (!own || coveredBy(key(a.targetPath), deleted.get(a.target) ?? new Set(), true)) return a;
    moved++;
    const { mode: _mode, ...rest } = a;
    const local: CopyAction = { ...rest, from: a.target, path: own.path, ...(own.mtime !== undefined ? { mtime: own.mtime } : {}) };
    return local;
  });
  return { plan: { ...plan, actions }, moved };
}
