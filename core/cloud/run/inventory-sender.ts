/** What a member sends of its inventories each round: whole, or a delta against those it sent the round before (§12). */
import { encodeInventories, type SharedInventory } from '../../transfer/compact-inventory.ts';
import { inventoryDelta, type DeltaBase } from '../../transfer/inventory-delta.ts';

/** One round's inventories as they go out: which blob kind, and its value. */
export interface InventoryBlob {
  type: 'inventory-part' | 'inventory-delta-part';
  value: unknown;
}

export class InventorySender {
  /** The inventories sent last (whole or as a delta), with what their encoding depended on. */
  #last: (DeltaBase & { modes: boolean; roster: string }) | null = null;
  /** Whole inventories sent on request this round, by peer (at most one per peer and round). */
  #fullTo = new Set<string>();
  #fullRun = '';
  /** Deltas sent, whole inventories sent (broadcast or on request). */
  readonly counts = { deltas: 0, whole: 0, onRequest: 0 };

  /**
   * The blob of round `run`. A delta when `delta` is allowed (a continuous round, every other member takes deltas),
   * the last inventories went to the same roster (`roster`: its member ids) with the same `modes`, and it is small
   * enough (inventory-delta.ts); otherwise the whole inventories.
   */
  next(run: string, list: readonly SharedInventory[], o: { modes: boolean; roster: string; delta: boolean }): InventoryBlob {
    const last = this.#last;
    const delta = o.delta && last && last.roster === o.roster && last.modes === o.modes ? inventoryDelta(last, list, o.modes) : null;
    this.#last = { run, list, modes: o.modes, roster: o.roster, ...(delta ? { digest: delta.digest } : {}) };
    if (delta) this.counts.deltas++;
    else this.counts.whole++;
    return delta ? { type: 'inventory-delta-part', value: delta } : { type: 'inventory-part', value: encodeInventories(list, o.modes) };
  }

  /** Sending failed part-way: nobody may rely on what went out, the next round sends whole inventories. */
  reset(): void {
    this.#last = null;
  }

  /**
   * `peer` could not apply the delta of `run`: the whole inventories of that round, once per peer and round; null when
   * `run` is not the round last sent or this peer had them already.
   */
  fullFor(peer: string, run: string): unknown {
    const last = this.#last;
    if (!last || last.run !== run) return null;
    if (this.#fullRun !== run) {
      this.#fullRun = run;
      this.#fullTo.clear();
    }
    if (this.#fullTo.has(peer)) return null;
    this.#fullTo.add(peer);
    this.counts.onRequest++;
    return encodeInventories(last.list, last.modes);
  }
}
