/** The base one member's cloud runs compare against (docs/protocol.md §5.1): its store, the last one kept, rows dropped after an undo. */
import type { Store } from '../../ports.ts';
import type { BaseStates } from '../../base/base-types.ts';
import type { UndoResultMessage } from '../../protocol/run-messages.ts';
import type { SharedInventory } from '../../transfer/compact-inventory.ts';
import { BaseStore } from '../../base/base-store.ts';
import { BaseMemory } from '../../continuous/base-memory.ts';
import { undoneRows } from './cloud-undo.ts';
import type { Round } from './round.ts';

/** What the bases need from their run. */
export interface BasesHost {
  store: Store;
  /** The run's current round (null between rounds). */
  round(): Round | null;
  /** Every member's inventories of the current round (CloudRun's sources, in comparison order). */
  all(): SharedInventory[];
}

/** The base store of the last comparison and the last base kept by source id, for the rounds to come. */
export class RunBases {
  readonly #h: BasesHost;
  /** The base of the last comparison's sources, kept past the round: an undo after the run forgets rows in it. */
  #baseStore: BaseStore | null = null;
  /** The last base this member loaded or recorded, per source id (core/continuous/base-memory.ts). */
  readonly #lastBase: BaseMemory;

  constructor(host: BasesHost) {
    this.#h = host;
    this.#lastBase = new BaseMemory(host.store);
  }

  /** The base store of the profile `all`'s sources form, kept past the round (an undo after the run trims it). */
  storeFor(all: readonly SharedInventory[]): BaseStore {
    return (this.#baseStore = new BaseStore(this.#h.store, new Map(all.map((s) => [s.inventory.source, s.id]))));
  }

  /** A profile without a stored base starts from the last one's, for the sources both hold (null when none). */
  inherited(all: readonly SharedInventory[]): Promise<BaseStates | null> {
    return this.#lastBase.inherited(all);
  }

  /** Keeps the round's base by source id (see #lastBase); `stored`: the store holds it as the profile's base. */
  remember(round: Round, stored: boolean): void {
    if (round.base && this.#h.round() === round) this.#lastBase.remember(round.base, this.#h.all(), stored);
  }

  /**
   * What a member's undo put back no longer matches the base the run recorded: forget those rows (every member keeps a
   * base; only a union can follow, never an old side carried over an edit).
   */
  undone(m: UndoResultMessage): void {
    const stale = undoneRows(m);
    if (stale && this.#baseStore) void this.#baseStore.forget(stale);
    if (stale) this.#lastBase.forget();
  }
}
