/** Store port on IndexedDB through idb-keyval; values are structured-cloned (handles included). */
import { createStore, get, set, del, type UseStore } from 'idb-keyval';
import type { Store } from '../../core/ports.ts';

export class IdbStore implements Store {
  #db: UseStore;

  constructor(dbName = 'quintet', storeName = 'kv') {
    this.#db = createStore(dbName, storeName);
  }

  get<T>(key: string): Promise<T | undefined> {
    return get<T>(key, this.#db);
  }

  set<T>(key: string, value: T): Promise<void> {
    return set(key, value, this.#db);
  }

  del(key: string): Promise<void> {
    return del(key, this.#db);
  }
}
