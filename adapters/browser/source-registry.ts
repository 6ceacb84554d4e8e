/** Gives each picked folder or file a stable id (same entry → same id), so its persistent index survives reloads. */
import type { Store } from '../../core/ports.ts';

type Picked = FileSystemDirectoryHandle | FileSystemFileHandle;
interface Entry {
  id: string;
  handle: Picked;
}

const KEY = 'sources/handles';

/** Returns the id already given to this entry, or a new one (stored with the handle). */
export async function sourceIdFor(store: Store, handle: Picked): Promise<string> {
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
