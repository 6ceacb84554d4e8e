/** Where a plan writes in a member's own sources: what the next inventory of each must look at again (§3.1, §12). */
import type { Action } from './types.ts';

/** The path an action writes in its target: a copy's target path (a single-file source's differs), else its path. */
export const writtenPath = (a: Action): string => (a.type === 'copy' ? a.targetPath : a.path);

/**
 * `[source id, path]` for each action of `actions` (null: one this member's check refused) whose target is one of the
 * member's own sources, coded `<letter>1`, `<letter>2` … in the order of `ids`.
 */
export function ownWrites(actions: readonly (Action | null)[], letter: string, ids: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const a of actions) {
    const id = a && a.target[0] === letter ? ids[Number(a.target.slice(1)) - 1] : undefined;
    if (a && id !== undefined) out.push([id, writtenPath(a)]);
  }
  return out;
}
