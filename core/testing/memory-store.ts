/** A Store in memory: what IndexedDB is to the browser, for tests. */
import type { Store } from '../ports.ts';

/** An in-memory Store. Values are kept by reference; `writes` counts `set` calls for assertions. */
export class MemoryStore implements Store {
  readonly data = new Map<string, unknown>();
  writes = 0;
  async get<T>(key: string): Promise<T | undefined> {
    return this.data.get(key) as T | undefined;
  }
  async set<T>(key: string, value: T): Promise<void> {
    this.writes++;
    this.data.set(key, value);
  }
  async del(key: string): Promise<void> {
    this.data.delete(key);
  }
}
