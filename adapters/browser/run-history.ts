/** The PWA's run history: one RunRecord per run in IndexedDB (database 'quintet-runs'), keyed by its sortable id. */
import { createStore, get, set, keys, del, type UseStore } from 'idb-keyval';
import type { RunRecord } from '../../core/unattended/run-record.ts';

export class RunHistory {
  #db: UseStore;

  constructor(dbName = 'quintet-runs', storeName = 'runs') {
    this.#db = createStore(dbName, storeName);
  }

  /** Keeps a record (structured-cloned as is: what is read back is what the builder made). */
  add(record: RunRecord): Promise<void> {
    return set(record.id, record, this.#db);
  }

  get(id: string): Promise<RunRecord | undefined> {
    return get<RunRecord>(id, this.#db);
  }

  /** The last `limit` runs, newest first (ids start with the UTC start time, so they sort by it). */
  async list(limit = Infinity): Promise<RunRecord[]> {
    const ids = (await keys<string>(this.#db)).map(String).sort().reverse().slice(0, limit);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((r): r is RunRecord => r !== undefined);
  }

  remove(id: string): Promise<void> {
    return del(id, this.#db);
  }
}
