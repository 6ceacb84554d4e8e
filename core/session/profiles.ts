/** Session profiles: the set of sources a session syncs, and its base (what each source held after the last run). */
import type { Store } from '../ports.ts';
import type { Comparison } from '../compare/types.ts';
import type { Action } from '../plan/types.ts';
import { pathKey, coveredBy } from '../plan/plan-common.ts';
import { stateOfCell, type BaseStates, type ItemState } from '../plan/base.ts';

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

/**
 * The base after a run: each source's states from the comparison, with the completed actions
 * applied (deletions first, as apply runs them, a deleted directory taking its contents).
 * An item on which every source now agrees gets that state as its base; where they still
 * differ (an action failed, or the plan was one-way), the previous base entry is kept, so the
 * next two-way run still sees the edit as an edit.
 */
export function baseAfterRun(comparison: Comparison, applied: readonly Action[], previous: BaseStates | null): BaseStates {
  const key = pathKey(comparison);
  const codes = comparison.sources;
  const after = new Map(codes.map((c) => [c, new Map<string, ItemState>()]));
  const unread = new Set<string>(); // what was not read says nothing new: its previous base stays
  for (const row of comparison.rows) {
    if (row.unreadable) unread.add(key(row.path));
    for (const c of codes) after.get(c)?.set(key(row.path), stateOfCell(row.cells[c]));
  }
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
  for (const k of keys) {
    const states = codes.map((c) => after.get(c)?.get(k) ?? null);
    const agreed = !unread.has(k) && states.every((s) => s === states[0]);
    codes.forEach((c, i) => {
      const s = agreed ? states[i] : (previous?.[c]?.get(k) ?? null);
      if (s !== null && s !== undefined) next[c]?.set(k, s);
    });
  }
  return next;
}
