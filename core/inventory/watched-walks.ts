/**
 * Manual inventories that look again only at what changed (docs/protocol.md §3.1): each source is observed by the
 * platform (FileSystemObserver) from the moment it is added, and an inventory whose previous walk was made while the
 * observer was live, and stayed live since, re-lists only the parents of the paths it reported (partial-walk.ts).
 * Anything the observer cannot vouch for walks whole: no observer, not live yet, lost since, an "unknown" record,
 * other exclusion settings, a failed inventory, or a whole walk older than WHOLE_WALK_MAX_MS (Syncthing, with its
 * watcher on, still rescans every folder hourly: a missed notification costs at most that long).
 */
import type { DirSource, SourceObserver } from '../ports.ts';
import { ChangeLog } from '../continuous/change-log.ts';
import type { WalkSnapshot } from './partial-walk.ts';

/** A partial walk is allowed this long after the last whole walk of the source. */
export const WHOLE_WALK_MAX_MS = 60 * 60_000;

/** How one inventory of one source walks, and what it reports back. */
export interface WalkTicket {
  /** For runInventory: the previous walk and the paths to look at again; absent = walk whole. */
  since?: { previous: WalkSnapshot; changed: readonly string[] };
  /** For runInventory: this walk's snapshot (the next inventory's start). */
  onSnapshot(snapshot: WalkSnapshot): void;
  /** The inventory did not finish: the notes it took were not all looked at. */
  failed(): void;
}

interface Observed {
  stop: () => void;
  live: boolean;
}

interface LastWalk {
  /** The exclusion settings the walk was made under. */
  key: string;
  snapshot: WalkSnapshot;
  /** When the last whole walk of this chain began. */
  wholeAt: number;
}

export class WatchedWalks {
  readonly #log = new ChangeLog();
  readonly #observed = new Map<string, Observed>();
  readonly #walks = new Map<string, LastWalk>();
  readonly #sources = new Map<string, DirSource>();
  /** Per source id, how the last inventory walked: for the UI and the tests. */
  readonly lastWalk = new Map<string, 'whole' | 'partial'>();

  constructor(
    private readonly observer: SourceObserver | undefined,
    private readonly now: () => number,
  ) {}

  /** Starts observing `source` (a source just added): by its first inventory the observer is likely live. */
  observe(id: string, source: DirSource): void {
    this.#sources.set(id, source);
    this.#start(id);
  }

  /** The member's sources are now `sources`: the others are forgotten, new ones observed from now. */
  observeOnly(sources: readonly { id: string; source: DirSource }[]): void {
    const ids = new Set(sources.map((s) => s.id));
    for (const id of [...this.#sources.keys()]) if (!ids.has(id)) this.forget(id);
    for (const { id, source } of sources) this.observe(id, source);
  }

  /** The source is gone from the session: stop observing it and forget its walks. */
  forget(id: string): void {
    this.#stop(id);
    this.#sources.delete(id);
    this.lastWalk.delete(id);
  }

  /** Stops every observer. */
  dispose(): void {
    for (const id of [...this.#sources.keys()]) this.forget(id);
  }

  /** Before inventories: lets the observers deliver what was changed just before (SourceObserver.settle), if any is live. */
  async settle(): Promise<void> {
    if (this.observer?.settle && [...this.#observed.values()].some((o) => o.live)) await this.observer.settle();
  }

  /** Something Quintet itself changed at `path` in the source (a synchronization's target): looked at again next time. */
  note(id: string, path: string): void {
    this.#log.note(id, path);
  }

  #start(id: string): void {
    const source = this.#sources.get(id);
    if (!this.observer || !source || this.#observed.has(id)) return;
    const entry: Observed = { stop: () => {}, live: false };
    this.#observed.set(id, entry);
    const current = () => this.#observed.get(id) === entry;
    const stop = this.observer.observe(source, {
      onEvent: (e) => current() && entry.live && this.#log.note(id, e.kind === 'changed' ? e.path : null),
      onLive: () => {
        if (!current() || entry.live) return;
        entry.live = true;
        this.#log.watching(id); // what came before is unknown: the next inventory walks whole
      },
      onLost: () => current() && this.#stop(id), // tried again at the next inventory
    });
    if (stop) entry.stop = stop;
    else this.#observed.delete(id);
  }

  /** Stops observing `id`: its notes and walks can no longer be vouched for. */
  #stop(id: string): void {
    this.#observed.get(id)?.stop();
    this.#observed.delete(id);
    this.#log.forget(id);
    this.#walks.delete(id);
  }

  /**
   * Before an inventory of source `id`, walked under exclusion settings `key`; `whole` forces a whole walk (checksum
   * analysis). Takes the observer's notes either way: a whole walk covers them too.
   */
  begin(id: string, key: string, whole = false): WalkTicket {
    const changes = this.#log.take(id);
    const observed = this.#observed.get(id);
    const liveAtBegin = observed?.live === true;
    const last = this.#walks.get(id);
    const now = this.now();
    const usable = !whole && liveAtBegin && changes !== 'all' && last !== undefined && last.key === key && now - last.wholeAt < WHOLE_WALK_MAX_MS;
    this.lastWalk.set(id, usable ? 'partial' : 'whole');
    const wholeAt = usable ? last.wholeAt : now;
    if (!observed) this.#start(id); // lost (or never started): observed again from now, for the inventory after this one
    return {
      ...(usable ? { since: { previous: last.snapshot, changed: changes } } : {}),
      // Kept whatever happened meanwhile: an observation lost or started since leaves the notes 'all' (whole next time).
      onSnapshot: (snapshot) => void this.#walks.set(id, { key, snapshot, wholeAt }),
      failed: () => {
        this.#log.spoil(id);
        this.#walks.delete(id);
      },
    };
  }
}
