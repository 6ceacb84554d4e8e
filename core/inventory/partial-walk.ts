/**
 * A walk of only what changed (continuous synchronization, docs/protocol.md §12): the previous walk's entries, with the
 * paths a watcher named and their parent directories' listings looked at again. Equal to a full walk when those paths
 * are the only changes since the previous walk.
 */
import type { CancelSignal, DirSource, EntryKind } from '../ports.ts';
import { cancelled, toFsError, FsError } from '../errors.ts';
import { isValidName, joinPath, parentPath } from '../paths.ts';
import type { ItemError } from './types.ts';
import type { Excluder } from './exclusions.ts';
import { defaultExcluder, walkSource, type WalkEntry, type WalkResult } from './walk.ts';
import type { SessionSettings } from '../settings/settings.ts';

/** What a walk depends on in the settings: a walk made under other exclusions is no start for a partial one. */
export const walkSettingsKey = (s: SessionSettings): string => JSON.stringify([s.excludeHidden, s.excludeSystem, s.exclusionPatterns, s.caseSensitive]);

/** Everything one walk found, by path: what the next partial walk starts from. */
export interface WalkSnapshot {
  entries: Map<string, WalkEntry>;
  /** Paths the exclusions left out (an excluded directory once), with their kind. */
  excluded: Map<string, EntryKind>;
  errors: Map<string, ItemError>;
}

/** The snapshot of a full walk (`excluded`: the paths its `onExcluded` gave). */
export function snapshotOf(result: WalkResult, excluded: ReadonlyMap<string, EntryKind>): WalkSnapshot {
  return {
    entries: new Map(result.entries.map((e) => [e.path, e])),
    excluded: new Map(excluded),
    errors: new Map(result.errors.map((e) => [e.path, e])),
  };
}

/** A snapshot as a walk's result (entries in no particular order, as walkSource gives them). */
export function resultOf(snapshot: WalkSnapshot): WalkResult {
  return { entries: [...snapshot.entries.values()], errors: [...snapshot.errors.values()], excluded: snapshot.excluded.size };
}

export interface PartialWalkOptions {
  source: DirSource;
  previous: WalkSnapshot;
  /** Paths (relative, valid) that may have changed since `previous`: created, modified, deleted, renamed from or to. */
  changed: readonly string[];
  exclude?: Excluder;
  signal?: CancelSignal;
}

/**
 * Re-lists the parent directory of every changed path (and the path itself when it was a directory): a child gone
 * drops its subtree, a child new or of another kind is walked whole, a changed file is stat'ed again. A directory
 * that vanished hands over to its parent's listing. Throws only on cancel or when the root itself cannot be listed
 * (the caller walks whole then). Never changes `previous`.
 */
export async function partialWalk(o: PartialWalkOptions): Promise<{ result: WalkResult; snapshot: WalkSnapshot }> {
  const { source, signal } = o;
  const exclude = o.exclude ?? defaultExcluder;
  const snap: WalkSnapshot = { entries: new Map(o.previous.entries), excluded: new Map(o.previous.excluded), errors: new Map(o.previous.errors) };
  const changed = new Set(o.changed);
  const listed = new Set<string>();

  const drop = (path: string, self: boolean) => {
    const under = `${path}/`;
    for (const map of [snap.entries, snap.excluded, snap.errors] as Map<string, unknown>[]) {
      for (const key of map.keys()) if ((self && key === path) || key.startsWith(under)) map.delete(key);
    }
  };
  const known = (path: string) => snap.entries.has(path) || snap.excluded.has(path) || snap.errors.has(path);
  const kindOf = (path: string): EntryKind | null => snap.entries.get(path)?.kind ?? snap.excluded.get(path) ?? null;
  const fail = (path: string, error: unknown) => {
    if (signal?.aborted) throw cancelled();
    const e = toFsError(error, path);
    snap.errors.set(path, { path, code: e.code === 'cancelled' ? 'io' : e.code, message: e.message });
  };

  /** A child found in a listing and not kept from before: what the full walk would have made of it. */
  const take = async (path: string, name: string, kind: EntryKind) => {
    if (!isValidName(name)) return fail(path, new FsError('invalid-name', path));
    if (exclude(path, name, kind)) return void snap.excluded.set(path, kind);
    if (kind === 'directory') {
      snap.entries.set(path, { kind: 'directory', path });
      const sub = await walkSource({ source, signal, exclude, from: path, onExcluded: (p, k) => void snap.excluded.set(p, k) });
      listed.add(path); // walked whole just now: listing it again would find nothing new
      for (const e of sub.entries) {
        snap.entries.set(e.path, e);
        if (e.kind === 'directory') listed.add(e.path);
      }
      for (const e of sub.errors) snap.errors.set(e.path, e);
      return;
    }
    try {
      const { size, mtime, mode } = await source.stat(path);
      snap.entries.set(path, { kind: 'file', path, size, mtime, ...(mode !== undefined ? { mode } : {}) });
    } catch (error) {
      fail(path, error);
    }
  };

  const relist = async (dir: string): Promise<void> => {
    if (listed.has(dir)) return;
    // A directory the previous walk did not enter (new, excluded, a file then): its parent's listing decides.
    if (dir !== '' && snap.entries.get(dir)?.kind !== 'directory') return relist(parentPath(dir));
    listed.add(dir);
    if (signal?.aborted) throw cancelled();
    let listing;
    try {
      listing = await source.list(dir);
    } catch (error) {
      if (dir === '') throw error;
      if (toFsError(error, dir).code === 'not-found') return relist(parentPath(dir)); // it went: its parent says so
      drop(dir, false);
      return fail(dir, error);
    }
    snap.errors.delete(dir);
    const now = new Map(listing.map((e) => [joinPath(dir, e.name), e]));
    // Children from before: gone, of another kind, named by the watcher (a file), or in error last time: looked at again.
    const before = new Set<string>();
    for (const map of [snap.entries, snap.excluded, snap.errors] as Map<string, unknown>[]) {
      for (const key of map.keys()) if (key !== dir && parentPath(key) === dir) before.add(key);
    }
    for (const path of before) {
      const e = now.get(path);
      const kind = kindOf(path);
      const again = !e || kind !== e.kind || snap.errors.has(path) || (kind === 'file' && changed.has(path));
      if (again) drop(path, true);
    }
    for (const [path, e] of now) if (!known(path)) await take(path, e.name, e.kind);
  };

  for (const path of [...changed].sort()) {
    if (path === '') continue;
    await relist(parentPath(path));
    if (snap.entries.get(path)?.kind === 'directory') await relist(path);
  }
  if (signal?.aborted) throw cancelled();
  return { result: resultOf(snap), snapshot: snap };
}
