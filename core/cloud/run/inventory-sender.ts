/** What a member sends of its inventories each round: whole, or a delta against those it sent the round before (§12). */
import type { Compressor } from '../../ports.ts';
import type { CloudSession } from '../cloud-session.ts';
import { INVENTORY_DELTA, INVENTORY_MODES, MESH_PROTOCOL_VERSION } from '../../protocol/mesh-messages.ts';
import { toParts } from '../../transfer/blob-parts.ts';
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
   * Sends round `run`'s inventories to every member: parts of the whole inventories, or in a continuous round (`scope`
   * 'changed') of a delta when every other member takes one. Permission bits go out only if every other member reads
   * them (a member from before them refuses such items).
   */
  async send(session: CloudSession, compressor: Compressor, run: string, list: readonly SharedInventory[], scope?: 'changed'): Promise<void> {
    const others = session.members.filter((m) => !m.self);
    const modes = others.every((m) => (m.features ?? []).includes(INVENTORY_MODES));
    const delta = scope === 'changed' && others.every((m) => (m.features ?? []).includes(INVENTORY_DELTA));
    const blob = this.next(run, list, { modes, roster: session.members.map((m) => m.id).join(','), delta });
    try {
      for (const part of await toParts(blob.value, compressor)) {
        await session.broadcastRun({ type: blob.type, v: MESH_PROTOCOL_VERSION, run, ...part });
        if (blob.type === 'inventory-delta-part') await session.mesh.room(); // paced like inventory-part
      }
    } catch (e) {
      this.reset();
      throw e;
    }
  }

  /** `peer` asked for the whole inventories of `run` (inventory-full): sent to it alone, within fullFor's rule. */
  async answer(session: CloudSession, compressor: Compressor, peer: string, run: string): Promise<void> {
    const value = this.fullFor(peer, run);
    if (value === null) return;
    for (const part of await toParts(value, compressor)) await session.sendRun(peer, { type: 'inventory-part', v: MESH_PROTOCOL_VERSION, run, ...part });
  }

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
