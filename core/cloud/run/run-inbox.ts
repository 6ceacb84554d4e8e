/** What peers send in parts — inventories, the leader's plan — gathered within budget, decoded off-thread, checked (§10.1, §10.7). */
import type { BlobDecoder, Clock } from '../../ports.ts';
import type { RunMessage } from '../../protocol/run-messages.ts';
import { BlobInbox } from '../../transfer/blob-inbox.ts';
import { decodeInventories, type SharedInventory } from '../../transfer/compact-inventory.ts';

/** Peers' inventories and plans as their blobs complete; every refusal is reported, never dropped silently. */
export class RunInbox {
  readonly plans = new PlanWaiter();
  readonly inventories = new PeerInventories();
  readonly #blobs: BlobInbox;
  readonly #clock: Clock;
  readonly #problem: (reason: string) => void;

  constructor(decoder: BlobDecoder, clock: Clock, problem: (reason: string) => void) {
    this.#blobs = new BlobInbox(decoder);
    this.#clock = clock;
    this.#problem = problem;
  }

  /** A part from `from` (lettered `letter`): true when it completed that member's inventories of a round. */
  async add(from: string, letter: string, m: Extract<RunMessage, { type: 'inventory-part' | 'plan-part' }>): Promise<boolean> {
    const blob = await this.#blobs.add(from, m.type, m.run, m);
    if (blob === null) return false;
    if (!blob.ok) this.#problem(`${m.type}-refused:${letter}:${blob.reason}: ${blob.detail}`);
    const value = blob.ok ? blob.value : null;
    if (m.type === 'plan-part') {
      this.plans.of(m.run).resolve(value); // a refused plan is refused by resolvePlan
      return false;
    }
    if (!blob.ok) return false;
    const list = decodeInventories(value, letter, this.#clock.now());
    if (list === null) {
      this.#problem(`inventory-refused:${letter}`);
      return false;
    }
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
