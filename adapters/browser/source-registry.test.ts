import { describe, expect, it } from 'vitest';
import { handlesFor, sourceIdFor } from './source-registry.ts';
import { MemoryStore } from '../../core/testing/memory-store.ts';

/** A picked folder as the registry sees it: `isSameEntry` true only for itself. */
const folder = (name: string) => {
  const handle = { kind: 'directory', name, isSameEntry: async (other: unknown) => other === handle };
  return handle as unknown as FileSystemDirectoryHandle;
};

/** A store whose reads and writes take a turn of the event loop each, as IndexedDB's do. */
function slowStore(): MemoryStore {
  const store = new MemoryStore();
  const get = store.get.bind(store);
  const set = store.set.bind(store);
  return Object.assign(store, {
    get: async <T>(key: string) => (await new Promise((r) => setTimeout(r, 5)), get<T>(key)),
    set: async (key: string, value: unknown) => (await new Promise((r) => setTimeout(r, 5)), set(key, value)),
  });
}

describe('the ids of picked folders', () => {
  it('keeps every folder added at once: none lost to another’s write', async () => {
    const store = slowStore();
    const folders = ['a', 'b', 'c', 'd'].map(folder);
    const ids = await Promise.all(folders.map((f) => sourceIdFor(store, f)));
    expect(new Set(ids).size).toBe(4);
    expect((await handlesFor(store, ids)).map((e) => e.handle)).toEqual(folders);
    expect(await sourceIdFor(store, folders[2]!)).toBe(ids[2]); // the same entry, the same id
  });
});
