/** Inventory of one data source: walk, reuse the index where size and mtime match, hash the rest, save the index. */
import type { CancelSignal, Clock, DirSource, Hasher, Store } from '../ports.ts';
import { cancelled, toFsError } from '../errors.ts';
import { comparePaths } from '../paths.ts';
import type { FileItem, Inventory, InventoryItem, InventoryProgress, InventoryStats, ItemError } from './types.ts';
import { walkSource, type WalkEntry, type WalkResult } from './walk.ts';
import { partialWalk, snapshotOf, type WalkSnapshot } from './partial-walk.ts';
import type { EntryKind } from '../ports.ts';
import type { Excluder } from './exclusions.ts';
import { indexHeld, isFresh, loadIndex, saveIndex, type IndexEntry } from './index-cache.ts';
import { hashFile } from './blocks.ts';
import { createLimiter } from '../util/pool.ts';
import { createThrottle, ratePerSecond } from '../util/progress-throttle.ts';

/** The walk's permission bits of a file, where the platform gave them. */
const modeOf = (entry: WalkEntry): { mode?: number } => (entry.kind === 'file' && entry.mode !== undefined ? { mode: entry.mode } : {});

export interface InventoryOptions {
  source: DirSource;
  /** Display code, e.g. 'A1'. */
  sourceCode: string;
  /** Stable identity of the source for its persistent index. */
  sourceId: string;
  hasher: Hasher;
  store: Store;
  clock: Clock;
  signal?: CancelSignal;
  onProgress?: (progress: InventoryProgress) => void;
  /** "Checksum" analysis: hash every file even when the index knows it. */
  checksum?: boolean;
  /** Exclusions from the session settings; the built-in table (system files excluded) when absent. */
  exclude?: Excluder;
  /** Files hashed at once; by default what the hasher asks for, else 4. */
  hashConcurrency?: number;
  /**
   * Continuous rounds: the previous walk of this source and the paths that may have changed since (partial-walk.ts);
   * only those are looked at again. Without it, or with `changed: 'all'`, the whole source is walked.
   */
  since?: { previous: WalkSnapshot; changed: readonly string[] | 'all' };
  /** This inventory's walk, for the next one's `since`. */
  onSnapshot?: (snapshot: WalkSnapshot) => void;
}

type WalkFile = Extract<WalkEntry, { kind: 'file' }>;

/**
 * Inventories one source. Items come sorted by path; per-path failures land in `errors`
 * and the rest goes on; cancellation throws FsError 'cancelled' and saves nothing.
 * The index is saved at the end with the files still present, so it never grows stale.
 */
export async function runInventory(options: InventoryOptions): Promise<Inventory> {
  const { source, sourceCode, sourceId, hasher, store, clock, signal, onProgress } = options;
  const startedAt = clock.now();
  const due = createThrottle(clock);
  const stats: InventoryStats = { files: 0, directories: 0, bytes: 0, hashedFiles: 0, hashedBytes: 0, indexedFiles: 0, excluded: 0 };
  // What is left to hash (known once the walk is over) and the file whose hashing started last.
  const hashing: { total?: { files: number; bytes: number }; current?: string } = {};
  const report = (done: boolean, now = false) => {
    if (!onProgress || (!done && !now && !due())) return;
    const rate = ratePerSecond(stats.hashedBytes, startedAt, clock.now());
    const { total, current } = hashing;
    // The file at hand is known from the walk on (hashing starts with it); what is left to hash only once it is over.
    const hashingPart = { ...(total ? { toHash: total, hashedFiles: stats.hashedFiles } : {}), ...(current !== undefined && !done ? { current } : {}) };
    onProgress({ source: sourceCode, files: stats.files, bytes: stats.bytes, hashedBytes: stats.hashedBytes, rate, done, ...hashingPart });
  };

  const index = await loadIndex(store, sourceId);
  const errors: ItemError[] = [];
  const items: InventoryItem[] = [];
  const fresh = new Map<string, IndexEntry>();
  const toHash = { files: 0, bytes: 0 };
  // What hashing changed in the walk's counts: a file gone unreadable, or a size that moved since its stat.
  const hashedDelta = { files: 0, bytes: 0 };
  const limit = createLimiter(options.hashConcurrency ?? hasher.parallelism ?? 4);
  const hashes: Promise<void>[] = [];

  const hash = async (entry: WalkFile): Promise<void> => {
    if (signal?.aborted) return;
    hashing.current = entry.path;
    try {
      const file = await source.open(entry.path);
      const hashes = await hashFile(file, hasher, signal);
      // The open file's own stat is what was hashed; it may differ from the walk's if the file just changed.
      const item: FileItem = { kind: 'file', path: entry.path, size: file.size, mtime: file.mtime, ...modeOf(entry), ...hashes };
      hashedDelta.bytes += file.size - entry.size;
      stats.bytes += file.size - entry.size;
      items.push(item);
      fresh.set(entry.path, { size: item.size, mtime: item.mtime, blockSize: item.blockSize, blocks: item.blocks, hash: item.hash });
      stats.hashedFiles++;
      stats.hashedBytes += file.size;
    } catch (error) {
      // Only the user's cancel stops the inventory (checked once all is settled): a platform AbortError reading one
      // file is that file's error.
      if (signal?.aborted) return;
      const e = toFsError(error, entry.path);
      errors.push({ path: entry.path, code: e.code === 'cancelled' ? 'io' : e.code, message: e.message });
      hashedDelta.files--;
      hashedDelta.bytes -= entry.size;
      stats.files--;
      stats.bytes -= entry.size;
    }
    report(false);
  };
  // Each entry as the walk finds it: from the index when it still describes the file, else hashed at once, so the
  // hashing of small files overlaps the walk's metadata calls instead of waiting for the whole listing.
  const take = (entry: WalkEntry) => {
    if (entry.kind === 'directory') {
      items.push(entry);
      return;
    }
    const known = index.get(entry.path);
    if (!options.checksum && isFresh(known, entry.size, entry.mtime)) {
      items.push({ kind: 'file', path: entry.path, size: entry.size, mtime: entry.mtime, ...modeOf(entry), blockSize: known.blockSize, blocks: known.blocks, hash: known.hash });
      fresh.set(entry.path, known);
      stats.indexedFiles++;
      source.release?.(entry.path);
      return;
    }
    toHash.files++;
    toHash.bytes += entry.size;
    hashes.push(limit(() => hash(entry)));
  };

  let streamed = false;
  const walked = await walkOf(options, (entry) => {
    streamed = true;
    take(entry);
    if (entry.kind === 'file') {
      stats.files++;
      stats.bytes += entry.size;
    } else stats.directories++;
    report(false);
  }).catch(async (error: unknown) => {
    // The walk stops only on a cancel: let the hashing it started settle before saying so.
    await Promise.all(hashes);
    throw error;
  });
  // A partial walk reports only what it looked at, at the end: the counts are the whole inventory's.
  if (!streamed) for (const e of walked.entries) take(e);
  stats.files = hashedDelta.files;
  stats.directories = 0;
  stats.bytes = hashedDelta.bytes;
  for (const e of walked.entries) {
    if (e.kind === 'directory') stats.directories++;
    else {
      stats.files++;
      stats.bytes += e.size;
    }
  }
  stats.excluded = walked.excluded;
  errors.push(...walked.errors);

  hashing.total = toHash;
  // Not throttled: the page learns at once what is left to hash (with small files the hashing keeps up with the walk
  // and may be over within the next interval).
  report(false, true);
  // Counted as they finish: files hashed after this point adjust stats directly (hashedDelta only feeds the recount).
  await Promise.all(hashes);
  if (signal?.aborted) throw cancelled();

  items.sort((a, b) => comparePaths(a.path, b.path));
  errors.sort((a, b) => comparePaths(a.path, b.path));
  // With nothing hashed and no file gone, `fresh` holds the very entries loaded: the stored index already says all this
  // (a whole inventory checks that its last write went through; an empty one is written, so a first run leaves one).
  // Else, in a continuous round (`since`), the write goes on behind the round (a large folder's index takes long to
  // write; the next load takes it from memory; a lost write costs a re-hash); any other inventory waits for it (a CLI
  // run may exit right after).
  const unchanged = stats.hashedFiles === 0 && toHash.files === 0 && fresh.size === index.size;
  if (!unchanged || (!options.since && (index.size === 0 || !(await indexHeld(store, sourceId))))) {
    const saved = saveIndex(store, sourceId, fresh);
    if (options.since) void saved.catch(() => undefined);
    else await saved;
  }
  report(true);
  return { source: sourceCode, rootKind: source.rootKind, rootName: source.name, items, errors, stats, takenAt: clock.now() };
}

/** The whole walk, or the partial one where the previous walk is given (falling back to the whole walk if it fails). */
async function walkOf(o: InventoryOptions, onEntry: (entry: WalkEntry) => void): Promise<WalkResult> {
  const { source, signal, exclude } = o;
  if (o.since && o.since.changed !== 'all' && source.rootKind === 'directory') {
    try {
      const { result, snapshot } = await partialWalk({ source, previous: o.since.previous, changed: o.since.changed, ...(exclude ? { exclude } : {}), ...(signal ? { signal } : {}) });
      o.onSnapshot?.(snapshot);
      return result;
    } catch {
      if (signal?.aborted) throw cancelled();
      // The root could not be listed: the whole walk says what is wrong, as without a previous walk.
    }
  }
  const excluded = new Map<string, EntryKind>();
  const result = await walkSource({ source, signal, exclude, onEntry, onExcluded: (path, kind) => void excluded.set(path, kind) });
  o.onSnapshot?.(snapshotOf(result, excluded));
  return result;
}
