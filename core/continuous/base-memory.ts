/**
 * The last base a member loaded or recorded, per source id (docs/protocol.md §12, "Leaving and coming back"): a round
 * whose sources form another profile (a member left, or came back with fewer folders) and has no base of its own
 * starts from it, so a deletion made meanwhile is still a deletion, not a union that brings the file back. Which
 * profile's stored base that was is kept in the store too, so a reload of the page or the CLI still finds it.
 */
import type { Store } from '../ports.ts';
import type { BaseStates, ItemState } from '../base/base-types.ts';
import { loadBase, profileId } from '../base/base-store.ts';
import type { SharedInventory } from '../transfer/compact-inventory.ts';

/** Store key of the pointer: the source ids of the profile whose stored base is the last one (a few ids, not the base). */
export const LAST_BASE_KEY = 'continuous/last-base';

interface StoredPointer {
  version: 1;
  ids: string[];
}

export class BaseMemory {
  readonly #store: Store | undefined;
  #last: Map<string, ReadonlyMap<string, ItemState>> | null = null;
  /** The profile the stored pointer names (its sorted ids), once read or written; undefined until then. */
  #pointer: string | null | undefined;

  constructor(store?: Store) {
    this.#store = store;
  }

  /**
   * Keeps `base` (by source code) under each source's id, as the round's inventories `all` name them. `stored`: it is
   * the profile's base as the store holds it (loaded, or just recorded), so the pointer may name that profile.
   */
  remember(base: BaseStates, all: readonly SharedInventory[], stored = false): void {
    const ids = new Map(all.map((s) => [s.inventory.source, s.id]));
    this.#last = new Map(Object.entries(base).flatMap(([code, states]) => (ids.has(code) ? [[ids.get(code) as string, states]] : [])));
    if (!stored || !this.#store) return;
    const profile = profileId([...ids.values()]);
    if (profile === this.#pointer) return; // round after round the same profile: nothing to write
    this.#pointer = profile;
    void this.#store.set<StoredPointer>(LAST_BASE_KEY, { version: 1, ids: [...ids.values()] }).catch(() => undefined);
  }

  /** What was kept no longer says what the folders held (an undo put things back): a union may follow, never an old side. */
  forget(): void {
    this.#last = null;
    this.#pointer = null;
    void this.#store?.del(LAST_BASE_KEY).catch(() => undefined);
  }

  /** The base of a new profile from the last one's, for the sources both hold (by id); null when they share none. */
  async inherited(all: readonly SharedInventory[]): Promise<BaseStates | null> {
    if (!this.#last && this.#pointer === undefined) this.#last = await this.#fromStore();
    if (!this.#last) return null;
    const out: BaseStates = {};
    for (const s of all) {
      const states = this.#last.get(s.id);
      if (states) out[s.inventory.source] = states;
    }
    return Object.keys(out).length > 0 ? out : null;
  }

  /** After a reload: the stored base of the profile the pointer names, by source id (null when there is none). */
  async #fromStore(): Promise<Map<string, ReadonlyMap<string, ItemState>> | null> {
    const pointer = await this.#store?.get<StoredPointer>(LAST_BASE_KEY).catch(() => undefined);
    const ids = pointer?.version === 1 && Array.isArray(pointer.ids) && pointer.ids.every((id) => typeof id === 'string') ? pointer.ids : null;
    this.#pointer ??= ids ? profileId(ids) : null;
    if (!ids || !this.#store) return null;
    const base = await loadBase(this.#store, profileId(ids), new Map(ids.map((id) => [id, id]))).catch(() => null);
    return base ? new Map(Object.entries(base)) : null;
  }
}
