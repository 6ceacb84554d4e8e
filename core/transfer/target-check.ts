/**
 * What each target held at the inventory, checked again just before a run replaces or deletes an item there: an item
 * changed (or appeared) on the target since then is left as it is and the action fails as 'changed', instead of being
 * moved under versions in silence (a Two-way would then carry the older content over the user's fresh edit and record
 * it as agreed). The next run sees the change and plans it (a conflict copy where both sides changed).
 */
import type { DirSink } from '../ports.ts';
import type { Inventory } from '../inventory/types.ts';
import { FsError } from '../errors.ts';
import { joinPath } from '../paths.ts';
import { defaultExcluder } from '../inventory/walk.ts';
import type { Excluder } from '../inventory/exclusions.ts';

/** What stood at a path: a file (size, mtime), a directory, nothing (null); undefined when the target was not inventoried. */
export type SeenAt = { kind: 'file'; size: number; mtime: number } | { kind: 'directory' } | null | undefined;

/**
 * (target code, path) → what its inventory saw there. Only targets read without a root error are known. `excludes`:
 * what the walk left out on purpose (settings, system files), so never saw: not a change when found in a folder.
 */
export type Seen = ((target: string, path: string) => SeenAt) & { excludes?: Excluder };

export function seenIn(inventories: readonly Inventory[], exclude: Excluder = defaultExcluder): Seen {
  const byTarget = new Map<string, Map<string, Exclude<SeenAt, null | undefined>>>();
  for (const inv of inventories) {
    if (inv.errors.some((e) => e.path === '')) continue; // not read: nothing to hold the target to
    byTarget.set(inv.source, new Map(inv.items.map((i) => [i.path, i.kind === 'file' ? { kind: 'file', size: i.size, mtime: i.mtime } : { kind: 'directory' }])));
  }
  const seen: Seen = (target, path) => {
    const items = byTarget.get(target);
    return items ? (items.get(path) ?? null) : undefined;
  };
  seen.excludes = exclude;
  return seen;
}

/**
 * Throws 'changed' unless what stands at `path` of `target` now (`kind`, as kindAt said) is what the inventory saw:
 * the same kind and, for a file, the same size and modification time; for a folder, the same of everything in it
 * (a file saved into a folder during the confirmation would otherwise go to versions with it, unreported). Nothing
 * there now is always fine (nothing to lose), and so is an item gone from a folder since.
 */
export async function checkUnchanged(sink: DirSink, target: string, path: string, kind: 'file' | 'directory' | null, seen: Seen): Promise<void> {
  const was = seen(target, path);
  if (kind === null || was === undefined) return;
  if (was === null) throw new FsError('changed', path, `a ${kind} appeared on the target since the inventory: left as it is`);
  if (was.kind !== kind) throw new FsError('changed', path, `a ${kind} stands on the target where the inventory saw a ${was.kind}: left as it is`);
  if (kind === 'directory') {
    const newer = await firstChangeIn(sink, target, path, seen);
    if (newer !== null) throw new FsError('changed', path, `holds ${newer} the inventory did not see: the folder is left as it is`);
    return;
  }
  if (was.kind !== 'file') return;
  const now = await sink.stat(path);
  if (now.size !== was.size || now.mtime !== was.mtime) throw new FsError('changed', path, 'changed on the target since the inventory: left as it is');
}

/**
 * The first entry under folder `dir` that differs from what the inventory saw (new, or a file of another size or
 * time, or another kind), said in words; null when none does. Entries the walk leaves out (`seen.excludes`) are
 * skipped as it skips them; an entry that cannot be looked at counts as changed (the folder then stays).
 */
async function firstChangeIn(sink: DirSink, target: string, dir: string, seen: Seen): Promise<string | null> {
  for (const entry of await sink.list(dir)) {
    const path = joinPath(dir, entry.name);
    if (seen.excludes?.(path, entry.name, entry.kind)) continue;
    const was = seen(target, path);
    if (was === undefined) continue;
    if (was === null || was.kind !== entry.kind) return `${path} (${was === null ? 'new' : `now a ${entry.kind}`})`;
    if (was.kind === 'directory') {
      const deeper = await firstChangeIn(sink, target, path, seen);
      if (deeper !== null) return deeper;
      continue;
    }
    const now = await sink.stat(path).catch(() => null);
    if (now === null || now.size !== was.size || now.mtime !== was.mtime) return `${path} (${now === null ? 'unreadable now' : 'changed'})`;
  }
  return null;
}
