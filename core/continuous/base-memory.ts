/**
 * The last base a member loaded or recorded, per source id (docs/protocol.md §12, "Leaving and coming back"): a round
 * whose sources form another profile (a member left, or came back with fewer folders) and has no base of its own
 * starts from it, so a deletion made meanwhile is still a deletion, not a union that brings the file back.
 */
import type { BaseStates, ItemState } from '../base/base-types.ts';
import type { SharedInventory } from '../transfer/compact-inventory.ts';

export class BaseMemory {
  #last: Map<string, ReadonlyMap<string, ItemState>> | null = null;

  /** Keeps `base` (by source code) under each source's id, as the round's inventories `all` name them. */
  remember(base: BaseStates, all: readonly SharedInventory[]): void {
    const ids = new Map(all.map((s) => [s.inventory.source, s.id]));
    this.#last = new Map(Object.entries(base).flatMap(([code, states]) => (ids.has(code) ? [[ids.get(code) as string, states]] : [])));
  }

  /** What was kept no longer says what the folders held (an undo put things back): a union may follow, never an old side. */
  forget(): void {
    this.#last = null;
  }

  /** The base of a new profile from the last one's, for the sources both hold (by id); null when they share none. */
  inherited(all: readonly SharedInventory[]): BaseStates | null {
    if (!this.#last) return null;
    const out: BaseStates = {};
    for (const s of all) {
      const states = this.#last.get(s.id);
      if (states) out[s.inventory.source] = states;
    }
    return Object.keys(out).length > 0 ? out : null;
  }
}
