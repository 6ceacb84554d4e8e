/** What peers send in parts — inventories, the leader's plan — gathered within budget, decoded off-thread, checked (§10.1, §10.7). */
import type { BlobDecoder, Clock } from '../../ports.ts';
import type { RunMessage } from '../../protocol/run-messages.ts';
import { BlobInbox } from '../../transfer/blob-inbox.ts';
import { decodeInventories, type SharedInventory } from '../../transfer/compact-inventory.ts';
import { applyInventoryDelta, type DeltaBase } from '../../transfer/inventory-delta.ts';

/** What a receiver did with peers' inventory deltas (§12): applied, or not (then it asked for the whole inventories). */
export interface DeltaCounters {
  applied: number;
  fallbacks: number;
}

/** Peers' inventories and plans as their blobs complete; every refusal is reported, never dropped silently. */
export class RunInbox {
  readonly plans = new PlanWaiter();
  readonly inventories = new PeerInventories();
  readonly #blobs: BlobInbox;
  readonly #clock: Clock;
  readonly #problem: (reason: string) => void;
  readonly #askFull: (peer: string, run: string) => void;
  /** Each peer's inventories as last taken whole or rebuilt from a delta: what its next delta starts from. */
  readonly #bases = new Map<string, DeltaBase>();
  readonly deltas: DeltaCounters = { applied: 0, fallbacks: 0 };

  /** `askFull`: a peer's delta could not be applied here; ask it for its whole inventories of `run` (inventory-full). */
  constructor(decoder: BlobDecoder, clock: Clock, problem: (reason: string) => void, askFull: (peer: string, run: string) => void = () => undefined) {
    this.#blobs = new BlobInbox(decoder);
    this.#clock = clock;
    this.#problem = problem;
    this.#askFull = askFull;
  }

  /** A peer left: what its next delta would start from is gone with it (it sends whole inventories to a new roster). */
  forget(peer: string): void {
    this.#bases.delete(peer);
  }

  /** A part from `from` (lettered `letter`): true when it completed that member's inventories of a round. */
  async add(from: string, letter: string, m: Extract<RunMessage, { type: 'inventory-part' | 'inventory-delta-part' | 'plan-part' }>): Promise<boolean> {
    const blob = await this.#blobs.add(from, m.type, m.run, m);
    if (blob === null) return false;
    if (!blob.ok) this.#problem(`${m.type}-refused:${letter}:${blob.reason}: ${blob.detail}`);
    const value = blob.ok ? blob.value : null;
    if (m.type === 'plan-part') {
      this.plans.of(m.run).resolve(value); // a refused plan is refused by resolvePlan
      return false;
    }
    if (m.type === 'inventory-delta-part') {
      if (!blob.ok) {
        this.deltas.fallbacks++;
        this.#askFull(from, m.run);
        return false;
      }
      const applied = applyInventoryDelta(this.#bases.get(from), value, letter, this.#clock.now());
      if (!applied.ok) {
        // Another base is no fault (a reload, a new leader): the whole inventories follow. A broken delta is reported.
        if (!applied.mismatch) this.#problem(`inventory-refused:${letter}:delta: ${applied.reason}`);
        this.deltas.fallbacks++;
        this.#askFull(from, m.run);
        return false;
      }
      this.deltas.applied++;
      this.#bases.set(from, { run: m.run, list: applied.list, digest: applied.digest });
      this.inventories.set(from, m.run, applied.list);
      return true;
    }
    if (!blob.ok) return false;
    const list = decodeInventories(value, letter, this.#clock.now());
    if (list === null) {
      this.#problem(`inventory-refused:${letter}`);
      return false;
    }
    this.#bases.set(from, { run: m.run, list });
    this.inventories.set(from, m.run, list);
    return true;
  }
}

/** Peers' inventories by member, tagged with their round: parts of a round not started here yet are kept. */
export class PeerInventories {
  readonly #byPeer = new Map<string, { run: string; list: SharedInventory[] }>();

  set(peer: string, run: string, list: SharedInventory[]): void {
    this.#byPeer.set(peer, { run, list });
  }
  /** A new round: every peer's inventories of another round are dropped. */
  keep(run: string): void {
    for (const [id, s] of this.#byPeer) if (s.run !== run) this.#byPeer.delete(id);
  }
  /** Whether these peers' inventories of round `run` are all in. */
  complete(peers: readonly string[], run: string): boolean {
    return peers.every((id) => this.#byPeer.get(id)?.run === run);
  }
  /** Every member's inventories in member order, then source order (A1, A2, B1 …); this member's own are `mine`. */
  all(members: readonly { id: string; self: boolean }[], mine: readonly SharedInventory[]): SharedInventory[] {
    return members.flatMap((m) => (m.self ? mine : (this.#byPeer.get(m.id)?.list ?? [])));
  }
}

/** The leader's plan of each sync run, as its parts complete (they may come before `start-sync`); one run at a time. */
export class PlanWaiter {
  #plans = new Map<string, { promise: Promise<unknown>; resolve(value: unknown): void }>();

  /** The plan of `run` (null when its blob was refused): resolved once whole. */
  of(run: string): { promise: Promise<unknown>; resolve(value: unknown): void } {
    let entry = this.#plans.get(run);
    if (!entry) {
      let resolve!: (value: unknown) => void;
      const promise = new Promise<unknown>((r) => (resolve = r));
      entry = { promise, resolve };
      this.#plans.clear();
      this.#plans.set(run, entry);
    }
    return entry;
  }
}
