/** Two-way over all sources: propagate what changed since the base, keep both sides of a conflict under conflict names. */
import type { Comparison, ComparisonRow } from '../compare/types.ts';
import type { Action, ConflictRecord, CopyAction, Plan, Refusal } from './types.ts';
import { ambiguous, assemble, copyOf, coveredBy, pathKey, pathResolver, refused, unreadableSet, type PlanSource } from './plan-common.ts';
import { stateOfCell, type BaseStates, type ItemState } from '../base/base-types.ts';
import { conflictPath } from './conflict-name.ts';
import { ancestors } from '../paths.ts';
import { NO_ROLES, type RoleOf } from './roles.ts';
import { emptiedSources, restrictComparison, unreadRoots } from './restrict.ts';

/** One row's outcome: the state every source ends with, and the versions kept as conflict copies. */
interface Decision {
  row: ComparisonRow;
  state: ItemState;
  /** Source whose file is copied (file decisions). */
  winner?: string;
  /** Losing file versions: one per distinct content, named after the first source holding it. */
  losers: Array<{ source: string; state: ItemState }>;
  /** Whether a source that may spread (not receive-only) changed this row since the base: an incoming change. */
  moved: boolean;
}

/**
 * Plans Two-way at time `now` (names conflict copies). Per row, a source has *changed* when
 * its state differs from its base state (no base: every present item is a creation, so the
 * first run is a union that never deletes). If no source changed but they differ (a base
 * from a run that failed there), every present state counts as changed.
 *  - One changed state → it goes everywhere: an edit is copied, a creation too, a deletion
 *    propagates (the item goes to versions on the others).
 *  - An edit beats a deletion: a deleted-here, edited-there item comes back.
 *  - Several changed contents → conflict. Winner rule: newest mtime, then the leftmost source
 *    (A1 before A2). Each loser is kept beside it on every source as
 *    `name.conflict-<source>-<yyyymmdd-hhmmss>.ext`. A directory wins over files (they become
 *    conflict copies): whatever it holds is then handled item by item.
 *  - A directory whose decision is "absent" or "a file" but under which some item stays
 *    becomes a directory (its files become conflict copies): nothing under it is lost.
 * Needs Tree matching (a Flat name has no place to propagate a deletion to) and directory sources. A source that holds
 * nothing where its base held items is left out (`emptied`, restrict.ts): an unmounted disk is not a mass deletion.
 *
 * Roles (§10.11): only the sources that may spread (not receive-only) decide a row. A receive-only source that changed
 * a row nobody else changed keeps its change: the actions that would take the others' state back onto it are `held`
 * (its "Revert") and the row is refused as a 'local-change'. An incoming change still reaches it (its own version
 * goes to its versions, as every replaced item). Send-only targets are left to withRoles (roles.ts).
 */
export function planTwoWayAt(comparison: Comparison, sources: readonly PlanSource[], base: BaseStates | null, now: number, roleOf: RoleOf = NO_ROLES): Plan {
  const codes = comparison.sources;
  if (comparison.matching?.matching === 'flat') return refused([{ path: '', reason: 'contradictory', detail: 'two-way-flat' }]);
  const fileSource = sources.find((s) => codes.includes(s.code) && s.rootKind === 'file');
  if (fileSource) return refused([{ path: '', reason: 'file-source-target', detail: fileSource.code }]);
  if (codes.length < 2) return refused([{ path: '', reason: 'same-source' }]);
  // A source that suddenly lists nothing (a disk not mounted) is left out, never read as the deletion of everything;
  // so is one whose root could not be listed (removed, or gone stale): the others go on among themselves.
  const emptied = emptiedSources(comparison, base);
  const unreadRoot = unreadRoots(comparison).filter((c) => codes.includes(c));
  if (emptied.length > 0 || (unreadRoot.length > 0 && codes.length > 2)) {
    const notes: Refusal[] = [...emptied.map((c): Refusal => ({ path: '', reason: 'emptied', detail: c })), ...unreadRoot.map((c): Refusal => ({ path: '', reason: 'unreadable', detail: c }))];
    const keep = new Set(codes.filter((c) => !emptied.includes(c) && !unreadRoot.includes(c)));
    if (keep.size < 2) return refused(notes);
    const rest = planTwoWayAt(restrictComparison(comparison, keep), sources, base, now, roleOf);
    return { ...rest, refusals: [...notes, ...rest.refusals] };
  }
  const deciders = codes.filter((c) => roleOf(c) !== 'receive-only');
  if (deciders.length === 0) return refused([{ path: '', reason: 'receive-only', detail: codes[0] }]);
  const key = pathKey(comparison);
  const on = pathResolver(comparison);
  const { set: unread, refusals } = unreadableSet(comparison, codes);

  const decisions: Decision[] = [];
  for (const row of comparison.rows) {
    if (coveredBy(row.path, unread, true)) continue;
    const odd = ambiguous(row, codes);
    if (odd) {
      refusals.push(odd);
      continue;
    }
    decisions.push(decide(row, codes, deciders, base, key(row.path), (c) => roleOf(c) === 'send-only'));
  }
  // An item staying under a row makes it a directory; a directory holding an unread item is kept by assemble.
  forceParents(decisions, key);

  const taken = new Set(comparison.rows.map((r) => key(r.path)));
  const gone = new Map(codes.map((c) => [c, new Set<string>()]));
  const allDeletes: Action[] = [];
  const allWrites: Action[] = [];
  const conflicts: ConflictRecord[] = [];
  const held = { deletes: [] as Action[], writes: [] as Action[] };
  for (const d of decisions) {
    const { row, state } = d;
    const live = codes.filter((c) => !coveredBy(key(row.path), gone.get(c) as Set<string>, false));
    const record: ConflictRecord = { path: row.path, winner: state === 'dir' ? '' : (d.winner ?? ''), losers: [] };
    for (const loser of d.losers) {
      const cell = row.cells[loser.source];
      if (!cell) continue;
      const own = on(row, loser.source);
      const copyPath = conflictPath(own, loser.source, now, (p) => taken.has(key(p)));
      taken.add(key(copyPath));
      record.losers.push({ source: loser.source, path: copyPath });
      for (const c of live) {
        // The loser's own copy reads the original before anything moves; the others read that copy.
        const copy: CopyAction = c === loser.source
          ? { ...copyOf(row, loser.source, cell, c, null, copyPath), conflict: true }
          : { ...copyOf(row, loser.source, cell, c, null, copyPath), path: copyPath, mtime: undefined };
        allWrites.push(copy);
      }
    }
    if (record.losers.length > 0) conflicts.push(record);

    for (const c of live) {
      const cell = row.cells[c] ?? null;
      const now = stateOfCell(cell);
      if (now === state) continue;
      const at = on(row, c);
      // A receive-only source's own change nobody else made: kept and listed; what would revert it is held.
      const local = roleOf(c) === 'receive-only' && !d.moved && now !== (base?.[c]?.get(key(row.path)) ?? null);
      const deletes = local ? held.deletes : allDeletes;
      const writes = local ? held.writes : allWrites;
      if (local) refusals.push({ path: at, reason: 'local-change', detail: c });
      if (state === null) {
        if (!cell) continue;
        deletes.push({ type: 'delete', target: c, path: at, kind: cell.kind });
        if (cell.kind === 'directory') gone.get(c)?.add(key(row.path));
      } else if (state === 'dir') {
        if (cell) deletes.push({ type: 'delete', target: c, path: at, kind: 'file' });
        writes.push({ type: 'mkdir', target: c, path: at });
      } else {
        const from = d.winner as string;
        writes.push(copyOf(row, from, row.cells[from] as NonNullable<ComparisonRow['cells'][string]>, c, cell ? cell.kind : null, at));
        if (cell?.kind === 'directory') gone.get(c)?.add(key(row.path));
      }
    }
  }
  const plan = assemble(allDeletes, allWrites, refusals, comparison, unread);
  const heldActions = [...held.deletes, ...held.writes];
  return { ...plan, conflicts, ...(heldActions.length > 0 ? { held: heldActions } : {}) };
}

/** The row's decision before parents are checked (see planTwoWayAt). */
function decide(row: ComparisonRow, codes: readonly string[], deciders: readonly string[], base: BaseStates | null, rowKey: string, sendOnly: (code: string) => boolean): Decision {
  const cur = new Map(codes.map((c) => [c, stateOfCell(row.cells[c])]));
  let changed = deciders.filter((c) => cur.get(c) !== (base?.[c]?.get(rowKey) ?? null));
  const moved = changed.length > 0;
  const states = deciders.map((c) => cur.get(c) ?? null);
  if (states.every((s) => s === states[0])) {
    // Every source that may spread agrees (a receive-only one may differ): a file is copied from the first of them.
    const state = states[0] ?? null;
    return { row, state, ...(state !== null && state !== 'dir' ? { winner: deciders[0] } : {}), losers: [], moved };
  }
  if (changed.length === 0) {
    // Nobody changed but sources differ. A send-only source that did not change stands apart only because it is never
    // written (a conflict it lost, a file it never received): the others decide, or it would lose again every run.
    const present = deciders.filter((c) => cur.get(c) !== null);
    const writable = present.filter((c) => !sendOnly(c));
    changed = writable.length > 0 ? writable : present;
  }
  const present = [...new Set(changed.map((c) => cur.get(c) ?? null))].filter((s): s is NonNullable<ItemState> => s !== null);
  if (present.length === 0) return { row, state: null, losers: [], moved };
  const firstWith = (s: ItemState) => changed.find((c) => cur.get(c) === s) as string;
  const files = present.filter((s) => s !== 'dir');
  if (present.includes('dir')) return { row, state: 'dir', losers: files.map((s) => ({ source: firstWith(s), state: s })), moved };
  if (files.length === 1) {
    const state = files[0] as ItemState;
    return { row, state, winner: firstWith(state), losers: [], moved };
  }
  // Newest mtime wins; on a tie the leftmost source (files is in column order of first holders).
  const mtime = (s: ItemState) => row.cells[firstWith(s)]?.mtime ?? 0;
  const win = files.reduce((best, s) => (mtime(s) > mtime(best) ? s : best));
  return { row, state: win, winner: firstWith(win), losers: files.filter((s) => s !== win).map((s) => ({ source: firstWith(s), state: s })), moved };
}

/**
 * Children first: a row under which some item stays present must be a directory. A file
 * decision turned into a directory keeps every changed file version as a conflict copy.
 */
function forceParents(decisions: Decision[], key: (p: string) => string): void {
  const needed = new Set<string>();
  for (let i = decisions.length - 1; i >= 0; i--) {
    const d = decisions[i] as Decision;
    if (needed.has(key(d.row.path)) && d.state !== 'dir') {
      if (d.state !== null && d.winner !== undefined) d.losers.unshift({ source: d.winner, state: d.state });
      d.state = 'dir';
      d.winner = undefined;
    }
    if (d.state !== null) for (const a of ancestors(d.row.path)) needed.add(key(a));
  }
}

export type { Refusal };
