/**
 * Saved profiles of the PWA in IndexedDB (database 'quintet-profiles'): the Profile JSON the CLI reads (sources are
 * the folders' names there), plus the folder handles keyed by source code, which only this browser can use.
 */
import { createStore, get, set, del, values, type UseStore } from 'idb-keyval';
import { checkProfile, type Profile } from '../../core/unattended/profile.ts';

export type SourceHandle = FileSystemDirectoryHandle | FileSystemFileHandle;

export interface SavedProfile {
  /** Unique key: the profile's name. */
  name: string;
  profile: Profile;
  /** A1 → its handle, A2 → … (the order of `profile.sources`). */
  handles: Record<string, SourceHandle>;
  savedAt: number;
}

export class ProfileStore {
  #db: UseStore;

  constructor(dbName = 'quintet-profiles', storeName = 'profiles') {
    this.#db = createStore(dbName, storeName);
  }

  /** Validates the profile with the shared schema first: a profile the CLI would refuse is never stored. */
  async save(saved: SavedProfile): Promise<void> {
    const check = checkProfile(saved.profile);
    if (!check.ok) throw new Error(check.errors.join('; '));
    await set(saved.name, { ...saved, profile: check.profile }, this.#db);
  }

  get(name: string): Promise<SavedProfile | undefined> {
    return get<SavedProfile>(name, this.#db);
  }

  async list(): Promise<SavedProfile[]> {
    return (await values<SavedProfile>(this.#db)).sort((a, b) => a.name.localeCompare(b.name));
  }

  remove(name: string): Promise<void> {
    return del(name, this.#db);
  }
}
