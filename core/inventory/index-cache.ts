/** The persistent index of a source: path → size, mtime, blocks, hash, so an unchanged file is never hashed twice. */
import type { Store } from '../ports.ts';
import { blockSizeFor } from './blocks.ts';

/** What the index remembers of one file. */
export interface IndexEntry {
  size: number;
  mtime: number;
  blockSize: number;
  blocks: string[];
  hash: string;
}

/** A file written by a run, with the stat read back after its verification. */
export interface IndexedFile extends IndexEntry {
  path: string;
}

/** The stored shape. Entries are [path, entry] pairs: a file named `__proto__` must stay a file. */
interface StoredIndex {
  version: 1;
  entries: Array<[string, IndexEntry]>;
}

/** Store key of a source's index. */
export function indexKey(sourceId: string): string {
  return `index/${sourceId}`;
}

/**
 * The last index each store loaded or saved, per source id, and its write under way: a continuous round on a large
 * folder neither reads nor waits for the whole index again (only this process writes its sources' indexes).
 */
const known = new WeakMap<Store, Map<string, Map<string, IndexEntry>>>();
const writing = new WeakMap<Store, Map<string, Promise<void>>>();
const knownOf = (store: Store) => known.get(store) ?? known.set(store, new Map()).get(store)!;
/** Source ids whose index held in memory is the one in the store (read from it, or its last write succeeded). */
const stored = new WeakMap<Store, Set<string>>();
const storedOf = (store: Store) => stored.get(store) ?? stored.set(store, new Set()).get(store)!;

/** Loads a source's index; an absent or unreadable one is empty (everything gets hashed). A copy: the caller may change it. */
export async function loadIndex(store: Store, sourceId: string): Promise<Map<string, IndexEntry>> {
  const held = knownOf(store).get(sourceId);
  if (held) return new Map(held);
  const value = await store.get<StoredIndex>(indexKey(sourceId));
  const valid = value?.version === 1 && Array.isArray(value.entries);
  const index = valid ? new Map(value.entries) : new Map<string, IndexEntry>();
  knownOf(store).set(sourceId, new Map(index));
  if (valid) storedOf(store).add(sourceId);
  return index;
}

/** Replaces a source's index with `entries` (at once for the next `loadIndex`; stored after any earlier write). */
export function saveIndex(store: Store, sourceId: string, entries: Map<string, IndexEntry>): Promise<void> {
  knownOf(store).set(sourceId, new Map(entries));
  const value: StoredIndex = { version: 1, entries: [...entries] };
  const writes = writing.get(store) ?? writing.set(store, new Map()).get(store)!;
  storedOf(store).delete(sourceId);
  const done: Promise<void> = (writes.get(sourceId) ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => store.set(indexKey(sourceId), value))
    .then(() => {
      if (writes.get(sourceId) === done) storedOf(store).add(sourceId);
    });
  writes.set(sourceId, done);
  return done;
}

/**
 * Whether the store holds exactly the index last loaded or saved for `sourceId`, once the writes asked for so far are
 * done: an inventory that changed nothing in it then writes nothing (20,000 entries took 100–250 ms to write).
 */
export async function indexHeld(store: Store, sourceId: string): Promise<boolean> {
  await indexStored(store, sourceId);
  return storedOf(store).has(sourceId);
}

/** Resolves once every index write of `store` for `sourceId` asked for so far is stored (or failed). */
export async function indexStored(store: Store, sourceId: string): Promise<void> {
  await writing.get(store)?.get(sourceId)?.catch(() => undefined);
}

/**
 * Adds files a run has just written and verified, so the next inventory of that target
 * finds them in the index (same size and mtime) and hashes nothing.
 */
export async function recordWritten(store: Store, sourceId: string, files: readonly IndexedFile[]): Promise<void> {
  if (files.length === 0) return;
  const index = await loadIndex(store, sourceId);
  for (const { path, size, mtime, blockSize, blocks, hash } of files) index.set(path, { size, mtime, blockSize, blocks, hash });
  await saveIndex(store, sourceId, index);
}

/**
 * Whether an index entry still describes a file with this stat ("Smart" analysis: size and mtime unchanged) with the
 * block size the scheme picks for that size: peers refuse any other (compact-inventory.ts), so an entry made otherwise
 * is hashed again.
 */
export function isFresh(entry: IndexEntry | undefined, size: number, mtime: number): entry is IndexEntry {
  return entry !== undefined && entry.size === size && entry.mtime === mtime && entry.blockSize === blockSizeFor(size);
}

/** After a run: each target's verified writes go to its source's index (a stale index only costs a re-hash, never a failure). */
export async function recordWrittenFiles(store: Store, written: readonly (IndexedFile & { target: string })[], idsByCode: ReadonlyMap<string, string>): Promise<void> {
  for (const [code, id] of idsByCode) {
    const files = written.filter((w) => w.target === code);
    await recordWritten(store, id, files).catch(() => undefined);
  }
}
