/** A cloud run's inventory step on one member: its own sources walked and sent, then the comparison once every member's are in. */
import type { Emitter } from '../../events.ts';
import type { Timers } from '../../ports.ts';
import { compareInventories } from '../../compare/compare.ts';
import type { RunProgressMessage } from '../../protocol/run-messages.ts';
import type { SharedInventory } from '../../transfer/compact-inventory.ts';
import type { OwnInventories, OwnSource } from './cloud-run-inventory.ts';
import type { RunEvent, RunState } from './cloud-run-machine.ts';
import type { CloudRunEvents, CloudRunOptions } from './cloud-run-types.ts';
import type { InventoryScope } from '../cloud-session-types.ts';
import type { InventorySender } from './inventory-sender.ts';
import type { Round } from './round.ts';
import type { RunBases } from './run-bases.ts';
import type { RunInbox } from './run-inbox.ts';
import type { Serving } from './serving.ts';

/** What the inventory step needs from its run. */
export interface InventoryHost {
  options: CloudRunOptions;
  /** The run: the step reports through its events. */
  events: Emitter<CloudRunEvents>;
  /** This member's walks and their memory (cloud-run-inventory.ts). */
  inventories: OwnInventories;
  sender: InventorySender;
  inbox: RunInbox;
  serving: Serving;
  bases: RunBases;
  round(): Round | null;
  state(): RunState;
  /** Moves the run table (cloud-run-machine.ts); false when the table has no such pair. */
  go(event: RunEvent, run?: string): boolean;
  /** This member's own sources, in order. */
  own(): readonly OwnSource[];
  /** Every member's inventories of this round, in comparison order. */
  all(): SharedInventory[];
  letterOf(id: string): string;
  /** This member's progress, to itself and every member. */
  report(stage: 'inventory', progress: Omit<RunProgressMessage, 'type' | 'v' | 'run' | 'stage'>, run: string): void;
}

type Progress = Omit<RunProgressMessage, 'type' | 'v' | 'run' | 'stage'>;

/**
 * Once the listing is over and files are left to hash, this member's last progress is said again every
 * INVENTORY_HEARTBEAT_MS. A walk reports as it finds and hashes files, but not within one file: a large file on a slow
 * disk (6 GB at 100 MB/s) hashes for a minute without a word, and the leader would go on without this member
 * (silence.ts, INVENTORY_SILENCE_MS). Not while listing (a listing that hangs is cut as before), and not past
 * HEARTBEAT_MOST_MS without real progress (a read that hangs for ever holds the round that long at most).
 */
export const INVENTORY_HEARTBEAT_MS = 20_000;
export const HEARTBEAT_MOST_MS = 15 * 60_000;
function mayBeat(last: Progress, quietMs: number): boolean {
  return last.hashing !== undefined && last.hashing.bytes < last.hashing.bytesTotal && quietMs < HEARTBEAT_MOST_MS;
}
/** Calls `beat` every INVENTORY_HEARTBEAT_MS until the returned stop. */
function heartbeat(timers: Timers, beat: () => void): () => void {
  let cancel = timers.after(INVENTORY_HEARTBEAT_MS, function again() {
    beat();
    cancel = timers.after(INVENTORY_HEARTBEAT_MS, again);
  });
  return () => cancel();
}

/** Runs the leader's `start-inventory` on this member and compares once every member's inventories are in. */
export class InventoryStep {
  readonly #h: InventoryHost;

  constructor(host: InventoryHost) {
    this.#h = host;
  }

  /** The leader's start-inventory `run` (`changed`: only what the watchers noted, §12): walks, sends, then compares. */
  async start(run: string, scope?: InventoryScope): Promise<void> {
    const h = this.#h;
    const { session } = h.options;
    if (!h.go('start-inventory', run)) return;
    const round = h.round() as Round;
    let last: Progress = { files: 0, filesTotal: 0, bytes: 0, bytesTotal: 0, rate: 0, done: false };
    let beats = 0;
    const report = (p: Progress) => ((last = p), (beats = 0), h.report('inventory', p, run));
    const beat = heartbeat(session.timers, () => mayBeat(last, ++beats * INVENTORY_HEARTBEAT_MS) && h.report('inventory', last, run));
    const list = await h.inventories.take({
      own: [...h.own()], letter: h.letterOf(session.self), settings: session.settings, hasher: h.options.hasher, store: h.options.store, clock: h.options.clock,
      signal: round.abort,
      onProgress: ({ hashing, current, ...p }) => report({ files: p.files, filesTotal: p.files, bytes: p.bytes, bytesTotal: p.bytes, rate: p.rate, done: p.done, ...(hashing ? { hashing } : {}), ...(current ? { current } : {}) }),
    }, scope).finally(beat);
    if (h.round() !== round || h.state() !== 'inventory') return;
    round.mine = list;
    h.serving.setFiles(list);
    await h.sender.send(session, h.options.compressor, run, list, scope === 'changed' ? scope : undefined);
    h.go('inventory-done');
    session.local('inventory-done');
    await this.compare();
  }

  /** Compares once this member's inventory is out and every other member's is in (its base loaded with it). */
  async compare(): Promise<void> {
    const h = this.#h;
    const { session } = h.options;
    const round = h.round();
    if (h.state() !== 'sharing' || !round) return;
    // Members the round goes on without (silence.ts) are not awaited.
    if (!h.inbox.inventories.complete(session.members.flatMap((m) => (m.self || round.without.has(m.id) ? [] : [m.id])), round.id)) return;
    const all = h.all();
    const comparison = compareInventories(all.map((s) => s.inventory), session.settings);
    round.baseStore = h.bases.storeFor(all);
    const loaded = await round.baseStore.load();
    round.base = loaded ?? (await h.bases.inherited(all));
    h.bases.remember(round, loaded !== null);
    if (h.state() !== 'sharing' || h.round() !== round) return;
    round.comparison = comparison;
    h.go('all-inventories');
    h.events.emit('comparison.ready', comparison);
  }
}
