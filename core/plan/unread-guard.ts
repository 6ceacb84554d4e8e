/** Every planner's last step before assembly: a target directory holding an unread item is never deleted or replaced whole. */
import type { Comparison } from '../compare/types.ts';
import type { Action, Refusal } from './types.ts';
import { ancestors, parentPath } from '../paths.ts';

/**
 * Rewrites the actions that would take an unread item along: deleting a directory that holds
 * one, or replacing it by a file. Such a directory stays (listed as skipped, 'unreadable'), and
 * its readable contents on that target are deleted one by one instead: each item whose parent
 * holds something unread, unless it holds something unread itself (then the same applies
 * below it) or is unread. A replacing copy is dropped: the file cannot land where the
 * directory stays. Planners may thus delete a directory whole without looking inside: this is
 * the one place that does (Mirror, Rules and Two-way alike; Update never deletes).
 * `unread` holds the paths the planner left unread; `key` folds paths as the comparison matches them.
 */
export function guardUnread(
  comparison: Comparison, deletes: Action[], writes: Action[], refusals: Refusal[], unread: ReadonlySet<string>, key: (path: string) => string,
): { deletes: Action[]; writes: Action[] } {
  if (unread.size === 0) return { deletes, writes };
  const unreadKeys = new Set([...unread].map(key));
  const holding = new Set<string>();
  for (const p of unreadKeys) for (const a of ancestors(p)) holding.add(a);
  const holds = (path: string) => path !== '' && holding.has(key(path));
  const isUnread = (k: string) => unreadKeys.has(k) || ancestors(k).some((a) => unreadKeys.has(a));

  const taken = new Set(deletes.map((a) => `${a.target}\0${key(a.path)}`));
  const out: Action[] = [];
  const keptWrites: Action[] = [];
  /** The target's readable items under `dir`, as deletions, and each directory kept on the way as a refusal. */
  const expand = (target: string, dir: string): Action[] => {
    refusals.push({ path: dir, reason: 'unreadable', detail: target });
    const dirKey = key(dir);
    const found: Action[] = [];
    for (const row of comparison.rows) {
      const cell = row.cells[target];
      if (!cell) continue;
      const path = cell.path ?? row.path;
      const k = key(path);
      if (!k.startsWith(`${dirKey}/`) || !holding.has(key(parentPath(path))) || isUnread(k)) continue;
      if (cell.kind === 'directory' && holding.has(k)) {
        refusals.push({ path, reason: 'unreadable', detail: target });
        continue;
      }
      if (taken.has(`${target}\0${k}`)) continue;
      taken.add(`${target}\0${k}`);
      found.push({ type: 'delete', target, path, kind: cell.kind });
    }
    return found;
  };
  for (const a of deletes) {
    if (a.type === 'delete' && a.kind === 'directory' && holds(a.path)) out.push(...expand(a.target, a.path));
    else out.push(a);
  }
  for (const a of writes) {
    if (a.type === 'copy' && a.replaces === 'directory' && holds(a.targetPath)) out.push(...expand(a.target, a.targetPath));
    else keptWrites.push(a);
  }
  return { deletes: out, writes: keptWrites };
}
