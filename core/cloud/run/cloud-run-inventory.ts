/** One member's inventory for a cloud run (issue 6): its own sources in parallel with the local engine, progress summed. */
import type { CancelSignal, Clock, DirSink, Hasher, SourceObserver, Store } from '../../ports.ts';
import { runInventory, type InventoryOptions } from '../../inventory/inventory.ts';
import { walkSettingsKey, type WalkSnapshot } from '../../inventory/partial-walk.ts';
import { createExcluder } from '../../inventory/exclusions.ts';
import { createThrottle, ratePerSecond } from '../../util/progress-throttle.ts';
import type { SharedInventory } from '../../transfer/compact-inventory.ts';
import type { SessionSettings } from '../../settings/settings.ts';
import type { InventoryProgress } from '../../inventory/types.ts';
import type { InventoryScope } from '../cloud-session-types.ts';
import type { ChangeLog } from '../../continuous/change-log.ts';
import { WatchedWalks } from '../../inventory/watched-walks.ts';

/** This member's inventory progress, all its sources together. */
export interface OwnInventoryProgress {
  files: number;
  bytes: number;
  rate: number;
  done: boolean;
  /** Once every own source's walk is over: files and bytes hashed of those the indexes did not know. */
  hashing?: { files: number; filesTotal: number; bytes: number; bytesTotal: number };
  /** The file being hashed last started, as `<code>/<path>`. */
  current?: string;
}

/** One of this member's own sources: what the others see (its name and kind) comes from the sink itself. */
export interface OwnSource {
  source: DirSink;
  /** Stable across reloads: the source's index (hashes already known) is kept under it. */
  id: string;
}

/** One of this member's sources with its inventory of the round: what is shared, and the folder it was read from. */
export interface OwnInventory extends SharedInventory {
  source: DirSink;
}

export interface OwnInventoryOptions {
  own: readonly OwnSource[];
  /** This member's letter: its sources are `<letter>1`, `<letter>2` … */
  letter: string;
  settings: SessionSettings;
  hasher: Hasher;
  store: Store;
  clock: Clock;
  signal: CancelSignal;
  /** At most every 250 ms, and once at the end with `done`. */
  onProgress(progress: OwnInventoryProgress): void;
  /** Per source id: its previous walk and what changed since (a continuous round), or undefined (walk it whole). */
  since?: (id: string) => InventoryOptions['since'];
  /** Per source id: this inventory's walk, for the next one's `since`. */
  onSnapshot?: (id: string, snapshot: WalkSnapshot) => void;
}

/** Inventories every own source at once (core/inventory, with the leader's settings and each source's index). */
export async function inventoryOwn(o: OwnInventoryOptions): Promise<OwnInventory[]> {
  const due = createThrottle(o.clock, 250);
  const started = o.clock.now();
  const per = new Map<string, InventoryProgress>();
  let current: string | undefined;
  const tick = (done: boolean, now = false) => {
    if (!done && !now && !due()) return;
    const all = [...per.values()];
    const sum = (f: (p: InventoryProgress) => number) => all.reduce((n, p) => n + f(p), 0);
    const bytes = sum((p) => p.bytes);
    // The time left needs every total: while one source still walks, there is none.
    const walked = all.length === o.own.length && all.every((p) => p.toHash);
    const hashing = walked ? { files: sum((p) => p.hashedFiles ?? 0), filesTotal: sum((p) => p.toHash?.files ?? 0), bytes: sum((p) => p.hashedBytes), bytesTotal: sum((p) => p.toHash?.bytes ?? 0) } : undefined;
    o.onProgress({ files: sum((p) => p.files), bytes, rate: ratePerSecond(bytes, started, o.clock.now()), done, ...(hashing ? { hashing } : {}), ...(current && !done ? { current } : {}) });
  };
  const list = await Promise.all(o.own.map(async ({ source, id }, i) => {
    const code = `${o.letter}${i + 1}`;
    const since = o.since?.(id);
    const inventory = await runInventory({
      ...(since ? { since } : {}), onSnapshot: (snapshot) => o.onSnapshot?.(id, snapshot),
      source, sourceCode: code, sourceId: id, hasher: o.hasher, store: o.store, clock: o.clock, signal: o.signal,
      checksum: o.settings.analysisMode === 'checksum', exclude: createExcluder(o.settings),
      onProgress: (p) => {
        // A source's walk just ended (what it leaves to hash is known): said at once, as the source's own report is
        // (the time left, and the heartbeat of inventory-step.ts, need it even when nothing else moves after).
        const walkEnded = p.toHash !== undefined && per.get(code)?.toHash === undefined;
        per.set(code, p);
        if (p.current !== undefined) current = `${code}/${p.current}`;
        tick(false, walkEnded);
      },
    });
    return { id, inventory, source };
  }));
  tick(true);
  return list;
}

/**
 * A member's inventory step with its memory: what each own source's watcher noted since its last inventory (set by
 * continuous synchronization, §12), and each source's last walk with the exclusion settings it was made under: a round
 * of scope 'changed' looks again only at the noted paths. Without a log, or for a source never walked under these
 * settings, such a walk is whole. Other rounds (started by hand) look again only at what the platform's observer
 * reported where it can vouch for the rest (§3.1, watched-walks.ts), else walk whole.
 */
export class OwnInventories {
  changeLog: ChangeLog | null = null;
  readonly #walks = new Map<string, { settings: string; snapshot: WalkSnapshot }>();
  readonly #observed: WatchedWalks;

  constructor(observer: SourceObserver | undefined, now: () => number) {
    this.#observed = new WatchedWalks(observer, now);
  }

  /** The member's sources are now `own`: the others are forgotten, new ones observed from now. */
  keepOnly(own: readonly OwnSource[]): void {
    const ids = new Set(own.map((s) => s.id));
    for (const id of this.#walks.keys()) if (!ids.has(id)) this.#walks.delete(id);
    this.#observed.observeOnly(own);
  }

  /** The session ended: no folder is observed any more. */
  dispose(): void {
    this.#observed.dispose();
  }

  /** How the last inventory walked source `id` (§3.1): 'partial' when only what its observer reported was looked at. */
  walkOf(id: string): 'whole' | 'partial' | null {
    return this.#observed.lastWalk.get(id) ?? null;
  }

  /** This member's synchronization writes at `path` in source `id`: the next inventory looks at it again. */
  noteWrite(id: string, path: string): void {
    this.#observed.note(id, path);
  }

  /** Inventories `o.own` (inventoryOwn), partially where the round's scope and the memory allow it. */
  async take(o: Omit<OwnInventoryOptions, 'since' | 'onSnapshot'>, scope?: InventoryScope): Promise<OwnInventory[]> {
    const settings = walkSettingsKey(o.settings);
    // Every inventory takes the notes (a whole walk covers them too); only a round of scope 'changed' uses them.
    const changes = new Map(o.own.map(({ id }) => [id, this.changeLog?.take(id) ?? 'all'] as const));
    const checksum = o.settings.analysisMode === 'checksum';
    if (scope !== 'changed') await this.#observed.settle();
    // A continuous round keeps to its own notes; the observer's stay for the next round started by hand.
    const tickets = new Map(scope === 'changed' ? [] : o.own.map(({ id }) => [id, this.#observed.begin(id, settings, checksum || scope === 'whole')] as const));
    const walks = new Map<string, WalkSnapshot>();
    let list;
    try {
      list = await inventoryOwn({
        ...o,
        since: (id) => {
          const last = this.#walks.get(id);
          if (scope === 'changed') return last?.settings === settings ? { previous: last.snapshot, changed: changes.get(id) ?? 'all' } : undefined;
          return tickets.get(id)?.since;
        },
        onSnapshot: (id, snapshot) => {
          walks.set(id, snapshot);
          tickets.get(id)?.onSnapshot(snapshot);
        },
      });
    } catch (e) {
      for (const { id } of o.own) {
        this.changeLog?.spoil(id); // the notes taken were not all looked at
        tickets.get(id)?.failed();
      }
      throw e;
    }
    for (const [id, snapshot] of walks) this.#walks.set(id, { settings, snapshot });
    return list;
  }
}
