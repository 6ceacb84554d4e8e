/** Gives each picked folder or file a stable id (same entry → same id), so its persistent index survives reloads. */
import type { Store } from '../../core/ports.ts';

type Picked = FileSystemDirectoryHandle | FileSystemFileHandle;
interface Entry {
  id: string;
  handle: Picked;
}

const KEY = 'sources/handles';

/** The page's Web Locks, where there are (every Chromium page; not Node's tests). */
interface Locks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}
const locks = (globalThis as { navigator?: { locks?: Locks } }).navigator?.locks;
let chain: Promise<unknown> = Promise.resolve();

/**
 * Runs one read-then-write of the list at a time: two folders added at once (two tabs, or remembered folders coming
 * back together) each read the list before the other wrote it, and one entry was lost, so that folder's id was not
 * found again after a reload. Across tabs by a Web Lock, within a page by a chain.
 */
function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
  const next = chain.then(() => (locks ? locks.request('quintet-sources-handles', run) : run()));
  chain = next.catch(() => undefined);
  return next;
}

/** Returns the id already given to this entry, or a new one (stored with the handle). */
export function sourceIdFor(store: Store, handle: Picked): Promise<string> {
  return oneAtATime(() => idFor(store, handle));
}

async function idFor(store: Store, handle: Picked): Promise<string> {
  const entries = (await store.get<Entry[]>(KEY)) ?? [];
  for (const entry of entries) {
    // isSameEntry compares the underlying file system entry, not the name.
    if (entry.handle.kind === handle.kind && (await entry.handle.isSameEntry(handle))) return entry.id;
  }
  const id = crypto.randomUUID();
  await store.set(KEY, [...entries, { id, handle }]);
  return id;
}

/** The handles kept for these ids, in the order asked (an id no longer kept is left out). */
export async function handlesFor(store: Store, ids: readonly string[]): Promise<Entry[]> {
  const entries = (await store.get<Entry[]>(KEY)) ?? [];
  return ids.flatMap((id) => entries.filter((entry) => entry.id === id).slice(0, 1));
}
