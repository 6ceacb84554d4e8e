/**
 * What each target held at the inventory, checked again just before a run replaces or deletes an item there: an item
 * changed (or appeared) on the target since then is left as it is and the action fails as 'changed', instead of being
 * moved under versions in silence (a Two-way would then carry the older content over the user's fresh edit and record
 * it as agreed). The next run sees the change and plans it (a conflict copy where both sides changed).
 */
import type { DirSink } from '../ports.ts';
import type { Inventory } from '../inventory/types.ts';
import type { Excluder } from '../inventory/exclusions.ts';
import { walkSource } from '../inventory/walk.ts';
import { FsError } from '../errors.ts';

/** What stood at a path: a file (size, mtime), a directory, nothing (null); undefined when the target was not inventoried. */
export type SeenAt = { kind: 'file'; size: number; mtime: number } | { kind: 'directory' } | null | undefined;

/**
 * (target code, path) → what its inventory saw there. Only targets read without a root error are known. `exclude`: the
 * inventory's exclusions, so the look inside a folder about to be deleted leaves out what the walk left out.
 */
export interface Seen {
  (target: string, path: string): SeenAt;
  exclude?: Excluder;
}

export function seenIn(inventories: readonly Inventory[], exclude?: Excluder): Seen {
  const byTarget = new Map<string, Map<string, Exclude<SeenAt, null | undefined>>>();
  for (const inv of inventories) {
    if (inv.errors.some((e) => e.path === '')) continue; // not read: nothing to hold the target to
    byTarget.set(inv.source, new Map(inv.items.map((i) => [i.path, i.kind === 'file' ? { kind: 'file', size: i.size, mtime: i.mtime } : { kind: 'directory' }])));
  }
  const seen: Seen = (target, path) => {
    const items = byTarget.get(target);
    return items ? (items.get(path) ?? null) : undefined;
  };
  if (exclude) seen.exclude = exclude;
  return seen;
}

/**
 * Throws 'changed' unless what stands at `path` now (`kind`, as kindAt said) is what the inventory saw: the same kind
 * and, for a file, the same size and modification time. Nothing there now is always fine (nothing to lose).
 */
export async function checkUnchanged(sink: DirSink, path: string, kind: 'file' | 'directory' | null, seen: SeenAt): Promise<void> {
  if (kind === null || seen === undefined) return;
  if (seen === null) throw new FsError('changed', path, `a ${kind} appeared on the target since the inventory: left as it is`);
  if (seen.kind !== kind) throw new FsError('changed', path, `a ${kind} stands on the target where the inventory saw a ${seen.kind}: left as it is`);
  if (kind !== 'file' || seen.kind !== 'file') return;
  const now = await sink.stat(path);
  if (now.size !== seen.size || now.mtime !== seen.mtime) throw new FsError('changed', path, 'changed on the target since the inventory: left as it is');
}

/**
 * A folder about to be deleted whole (moved to versions with everything in it): what lies inside must still be what
 * the inventory saw, or the deletion fails as 'changed' and the folder stays. Without this look an edit saved inside
 * during a round (the other side deleted the folder; this side's user was working in it) went to versions with the
 * folder, unseen: Two-way's "an edit beats a deletion" lost the race, and the base then recorded the folder as gone.
 * A metadata walk under the folder (as the inventory's, with its exclusions); items gone since are fine.
 */
export async function checkTreeUnchanged(sink: DirSink, target: string, path: string, seen: Seen): Promise<void> {
  if (seen(target, path)?.kind !== 'directory') return;
  const walk = await walkSource({ source: sink, from: path, ...(seen.exclude ? { exclude: seen.exclude } : {}) });
  const error = walk.errors.find((e) => e.code !== 'not-found');
  if (error) throw new FsError('changed', error.path, `${error.path} could not be read again before its folder's deletion (${error.code}): the folder is left as it is`);
  for (const e of walk.entries) {
    const was = seen(target, e.path);
    if (was === undefined) continue;
    if (was === null) throw new FsError('changed', e.path, `${e.path}: a ${e.kind} appeared in a folder to delete since the inventory: the folder is left as it is`);
    if (was.kind !== e.kind) throw new FsError('changed', e.path, `${e.path}: a ${e.kind} stands where the inventory saw a ${was.kind}, in a folder to delete: the folder is left as it is`);
    if (e.kind === 'file' && was.kind === 'file' && (e.size !== was.size || e.mtime !== was.mtime)) {
      throw new FsError('changed', e.path, `${e.path} changed since the inventory, in a folder to delete: the folder is left as it is`);
    }
  }
}
