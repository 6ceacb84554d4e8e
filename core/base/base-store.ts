/** The two-way base store: per set of sources (a profile id), what each source held after the last run (docs/protocol.md §5.1). */
import type { Store } from '../ports.ts';
import type { Comparison } from '../compare/types.ts';
import type { Action } from '../plan/types.ts';
import { pathKey, coveredBy } from '../plan/plan-common.ts';
import { emptiedSources, unreadRoots } from '../plan/restrict.ts';
import { stateOfCell, type BaseStates, type ItemState } from './base-types.ts';

/**
 * A profile's id: the sorted ids of its sources (each stable per folder; source-registry.ts in
 * the browser). The same folders in any order are the same profile; adding or removing one is
 * another profile, whose first two-way run is a union.
 */
export function profileId(sourceIds: readonly string[]): string {
  return [...sourceIds].sort().join('+');
}

/** Store key of a profile's base. */
export function baseKey(profile: string): string {
  return `base/${profile}`;
}

/** The stored shape: per source id, [row key, state] pairs (a name `__proto__` must stay a name). */
interface StoredBase {
  version: 1;
  sources: Array<[string, Array<[string, Exclude<ItemState, null>]>]>;
}

/** Loads a profile's base as code → states, or null when none was recorded (first run). */
export async function loadBase(store: Store, profile: string, idsByCode: ReadonlyMap<string, string>): Promise<BaseStates | null> {
  const stored = await store.get<StoredBase>(baseKey(profile));
  if (stored?.version !== 1 || !Array.isArray(stored.sources)) return null;
  const byId = new Map(stored.sources);
  const out: BaseStates = {};
  for (const [code, id] of idsByCode) {
    const entries = byId.get(id);
    if (entries) out[code] = new Map(entries);
  }
  return out;
}

/** Saves a profile's base (code → states) under source ids, so column order does not matter. */
export async function saveBase(store: Store, profile: string, idsByCode: ReadonlyMap<string, string>, base: BaseStates): Promise<void> {
  const sources: StoredBase['sources'] = [];
  for (const [code, id] of idsByCode) {
    const states = base[code];
    if (!states) continue;
    sources.push([id, [...states].filter((e): e is [string, Exclude<ItemState, null>] => e[1] !== null)]);
  }
  await store.set<StoredBase>(baseKey(profile), { version: 1, sources });
}

/** Whether a stored row key is one of `paths` or lies under one (case folded: forgetting too much only makes a union). */
function rowsUnder(paths: readonly string[] | 'all'): (key: string) => boolean {
  if (paths === 'all') return () => true;
  const folded = paths.map((p) => p.toLowerCase());
  return (key) => {
    const k = key.toLowerCase();
    return folded.some((p) => k === p || k.startsWith(`${p}/`));
  };
}

/**
 * Forgets `paths` (and what is under them) in the stored base `key` when that base includes the source `sourceId`:
 * for a folder undone on its own (`quintet undo <dir>`), where the other sources of its profiles are not known, the
 * caller offers every stored base and only those holding the folder change. Returns whether this one did.
 */
export async function forgetInStoredBase(store: Store, key: string, sourceId: string, paths: readonly string[]): Promise<boolean> {
  const stored = await store.get<StoredBase>(key);
  if (stored?.version !== 1 || !Array.isArray(stored.sources) || !stored.sources.some(([id]) => id === sourceId)) return false;
  const covered = rowsUnder(paths);
  const sources: StoredBase['sources'] = stored.sources.map(([id, rows]) => [id, rows.filter(([row]) => !covered(row))]);
  await store.set<StoredBase>(key, { version: 1, sources });
  return true;
}

/**
 * The base after a run: each source's states from the comparison, with the completed actions
 * applied (deletions first, as apply runs them, a deleted directory taking its contents).
 * An item on which every source now agrees gets that state as its base; where they still
 * differ (an action failed, or the plan was one-way), the previous base entry is kept, so the
 * next two-way run still sees the edit as an edit.
 *
 * A send-only source (`sendOnly`, docs/protocol.md §10.11) is never written, so only its own changes move it: its base
 * is what it holds now, and the others agree among themselves. Otherwise a conflict it lost would stay a conflict (and
 * make a new conflict copy) at every run.
 */
export function baseAfterRun(comparison: Comparison, applied: readonly Action[], previous: BaseStates | null, sendOnly: ReadonlySet<string> = new Set()): BaseStates {
  const key = pathKey(comparison);
  const codes = comparison.sources;
  const after = new Map(codes.map((c) => [c, new Map<string, ItemState>()]));
  const unread = new Set<string>(); // what was not read says nothing new: its previous base stays
  for (const row of comparison.rows) {
    if (row.unreadable) unread.add(key(row.path));
    for (const c of codes) after.get(c)?.set(key(row.path), stateOfCell(row.cells[c]));
  }
  // A source Two-way left out as emptied (an unmounted disk) says nothing new either: it stands as its base said, so an
  // item the others delete meanwhile stays in its base and the deletion reaches it once it is back (not a creation).
  // So does a source whose root could not be listed at all (a folder removed, a handle gone stale).
  for (const c of [...emptiedSources(comparison, previous), ...unreadRoots(comparison)]) after.set(c, new Map(previous?.[c] ?? []));
  const gone = new Map(codes.map((c) => [c, new Set<string>()]));
  for (const a of applied) {
    if (a.type !== 'delete') continue;
    after.get(a.target)?.set(key(a.path), null);
    if (a.kind === 'directory') gone.get(a.target)?.add(key(a.path));
  }
  for (const c of codes) {
    const set = gone.get(c) as Set<string>;
    if (set.size === 0) continue;
    for (const k of (after.get(c) as Map<string, ItemState>).keys()) if (coveredBy(k, set, false)) after.get(c)?.set(k, null);
  }
  for (const a of applied) {
    if (a.type === 'mkdir') after.get(a.target)?.set(key(a.path), 'dir');
    else if (a.type === 'copy') after.get(a.target)?.set(key(a.targetPath), `f:${a.hash}`);
  }

  const keys = new Set<string>();
  for (const m of after.values()) for (const k of m.keys()) keys.add(k);
  for (const [c, m] of Object.entries(previous ?? {})) if (codes.includes(c)) for (const k of m.keys()) keys.add(k);
  const next: Record<string, Map<string, ItemState>> = Object.fromEntries(codes.map((c) => [c, new Map()]));
  const deciding = codes.filter((c) => !sendOnly.has(c));
  for (const k of keys) {
    const states = deciding.map((c) => after.get(c)?.get(k) ?? null);
    const agreed = !unread.has(k) && states.every((s) => s === states[0]);
    codes.forEach((c) => {
      const own = sendOnly.has(c) && !unread.has(k);
      const s = agreed || own ? (after.get(c)?.get(k) ?? null) : (previous?.[c]?.get(k) ?? null);
      if (s !== null && s !== undefined) next[c]?.set(k, s);
    });
  }
  return next;
}

/**
 * One profile's base, as local and cloud sessions both keep it: loaded with each comparison, recorded after each run.
 * A missing or unreadable base only makes two-way a union, and a base that cannot be saved only makes the next one a
 * union: neither ever fails a run.
 */
export class BaseStore {
  readonly #store: Store;
  readonly #ids: ReadonlyMap<string, string>;
  readonly #profile: string;
  /**
   * The base the store holds for this profile, as this instance last loaded or saved it (undefined: not known). A round
   * that changes nothing (a continuous or reconciliation round of no action) then writes nothing: rewriting 200,000
   * entries costs IndexedDB seconds of CPU after the round, for the same bytes.
   */
  #held: BaseStates | null | undefined;

  /** `idsByCode`: each source's code in this comparison → its stable id. */
  constructor(store: Store, idsByCode: ReadonlyMap<string, string>) {
    this.#store = store;
    this.#ids = idsByCode;
    this.#profile = profileId([...idsByCode.values()]);
  }

  async load(): Promise<BaseStates | null> {
    const base = await loadBase(this.#store, this.#profile, this.#ids).catch(() => undefined);
    this.#held = base;
    return base ?? null;
  }

  /** Saves `base` unless the store is known to hold it already; a failed save leaves what the store holds unknown. */
  async #save(base: BaseStates): Promise<void> {
    if (this.#held && sameBase(this.#held, base, [...this.#ids.keys()])) return;
    this.#held = undefined;
    await saveBase(this.#store, this.#profile, this.#ids, base).then(() => (this.#held = base)).catch(() => undefined);
  }

  /**
   * Forgets what the base knows of `paths` and everything under them, on every source: an undo put those items back
   * as they were before the run, so the base the run recorded no longer describes them. Without it, the next two-way
   * run would read the undone side as an edit and copy the pre-run content over the other side's real edit; with no
   * base for those rows, two-way treats them as a union (sides that differ become a conflict, both kept). Case is
   * folded when matching: forgetting too much only makes a row a union, never loses anything.
   */
  async forget(paths: readonly string[] | 'all'): Promise<BaseStates | null> {
    const base = await this.load();
    if (!base || paths.length === 0) return base;
    const covered = rowsUnder(paths); // 'all': an undo whose list was cut (more than a message holds)
    const next: BaseStates = {};
    for (const [code, states] of Object.entries(base)) next[code] = new Map([...states].filter(([key]) => !covered(key)));
    await this.#save(next);
    return next;
  }

  /** Records the base after a run (baseAfterRun) and returns it. */
  async record(comparison: Comparison, applied: readonly Action[], previous: BaseStates | null, sendOnly?: ReadonlySet<string>): Promise<BaseStates> {
    const base = baseAfterRun(comparison, applied, previous, sendOnly);
    await this.#save(base);
    return base;
  }
}

/** Whether two bases store alike for `codes`: the same sources present, the same non-null states (saveBase drops nulls). */
function sameBase(a: BaseStates, b: BaseStates, codes: readonly string[]): boolean {
  for (const code of codes) {
    const x = a[code];
    const y = b[code];
    if (!x || !y) {
      if (x || y) return false;
      continue;
    }
    let nx = 0;
    for (const [k, s] of x) {
      if (s === null) continue;
      nx++;
      if (y.get(k) !== s) return false;
    }
    let ny = 0;
    for (const s of y.values()) if (s !== null) ny++;
    if (nx !== ny) return false;
  }
  return true;
}
