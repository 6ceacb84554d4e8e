/**
 * What each target held at the inventory, checked again just before a run replaces or deletes an item there: an item
 * changed (or appeared) on the target since then is left as it is and the action fails as 'changed', instead of being
 * moved under versions in silence (a Two-way would then carry the older content over the user's fresh edit and record
 * it as agreed). The next run sees the change and plans it (a conflict copy where both sides changed).
 */
import type { DirSink } from '../ports.ts';
import type { Inventory } from '../inventory/types.ts';
import { FsError } from '../errors.ts';

/** What stood at a path: a file (size, mtime), a directory, nothing (null); undefined when the target was not inventoried. */
export type SeenAt = { kind: 'file'; size: number; mtime: number } | { kind: 'directory' } | null | undefined;

/** (target code, path) → what its inventory saw there. Only targets read without a root error are known. */
export type Seen = (target: string, path: string) => SeenAt;

export function seenIn(inventories: readonly Inventory[]): Seen {
  const byTarget = new Map<string, Map<string, Exclude<SeenAt, null | undefined>>>();
  for (const inv of inventories) {
    if (inv.errors.some((e) => e.path === '')) continue; // not read: nothing to hold the target to
    byTarget.set(inv.source, new Map(inv.items.map((i) => [i.path, i.kind === 'file' ? { kind: 'file', size: i.size, mtime: i.mtime } : { kind: 'directory' }])));
  }
  return (target, path) => {
    const items = byTarget.get(target);
    return items ? (items.get(path) ?? null) : undefined;
  };
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
