/** What Mirror and Update share: source checks, refusals, unreadable paths, summary. */
import type { EntryKind } from '../ports.ts';
import type { Comparison, ComparisonCell, ComparisonRow } from '../compare/types.ts';
import type { Action, CopyAction, Plan, PlanSummary, Refusal } from './types.ts';
import { ancestors, baseName, joinPath, parentPath } from '../paths.ts';

/** What a plan needs to know of each source (a SourceInfo fits). */
export interface PlanSource {
  code: string;
  rootKind: EntryKind;
  name: string;
}

/** A preset's direction. */
export interface Direction {
  from: string;
  to: string;
}

/** Counts what the confirmation dialog states. */
export function summarize(actions: readonly Action[]): PlanSummary {
  const s: PlanSummary = { copies: 0, overwrites: 0, directories: 0, deletions: 0, bytes: 0 };
  for (const a of actions) {
    if (a.type === 'copy') {
      s.copies++;
      s.bytes += a.size;
      if (a.replaces) s.overwrites++;
    } else if (a.type === 'mkdir') s.directories++;
    else s.deletions++;
  }
  return s;
}

/** A plan that does nothing and says why. */
export function refused(refusals: Refusal[]): Plan {
  return { actions: [], summary: summarize([]), refusals };
}

/**
 * Checks the direction before any row is looked at. Returns the two sources, or the refusal
 * plan: same source, unknown code, or a single-file target (a directory cannot land in it,
 * and a file replaced there could not be kept under `.quintet/versions/`, which a file
 * source does not have: losing nothing wins over convenience).
 */
export function checkDirection(comparison: Comparison, { from, to }: Direction, sources: readonly PlanSource[]): { from: PlanSource; to: PlanSource } | Plan {
  if (from === to) return refused([{ path: '', reason: 'same-source', detail: from }]);
  const find = (code: string) => (comparison.sources.includes(code) ? sources.find((s) => s.code === code) : undefined);
  const src = find(from);
  const dst = find(to);
  if (!src || !dst) return refused([{ path: '', reason: 'unknown-source', detail: !src ? from : to }]);
  if (dst.rootKind === 'file') {
    return refused([{ path: '', reason: 'file-source-target', detail: src.rootKind === 'directory' ? 'directory-into-file' : 'versions-unavailable' }]);
  }
  return { from: src, to: dst };
}

/** Paths of either side that were not read: nothing at or under them is planned. */
export function unreadableSet(comparison: Comparison, codes: readonly string[]): { set: Set<string>; refusals: Refusal[] } {
  const set = new Set<string>();
  const refusals: Refusal[] = [];
  for (const code of codes) {
    for (const path of comparison.unreadable?.[code] ?? []) {
      set.add(path);
      refusals.push({ path, reason: 'unreadable', detail: code });
    }
  }
  return { set, refusals };
}

/** Every ancestor of an unread path: such a directory holds something unread, so it is never deleted or replaced whole. */
export function unreadAncestors(unread: ReadonlySet<string>, key: (path: string) => string): Set<string> {
  const out = new Set<string>();
  for (const p of unread) for (const a of ancestors(p)) out.add(key(a));
  return out;
}

/** Whether `path` or one of its ancestors is in `set` (O(depth)). */
export function coveredBy(path: string, set: ReadonlySet<string>, includeSelf: boolean): boolean {
  if (set.size === 0) return false;
  if (includeSelf && set.has(path)) return true;
  return ancestors(path).some((a) => set.has(a));
}

/** The copy of a file cell of `from` to `targetPath` on `to` (the row's path when absent). */
export function copyOf(row: ComparisonRow, from: string, x: ComparisonCell, target: string, replaces: CopyAction['replaces'], targetPath?: string): CopyAction {
  return {
    type: 'copy', from, target, path: x.path ?? row.path, targetPath: targetPath ?? row.cells[target]?.path ?? row.path,
    size: x.size ?? 0, mtime: x.mtime, hash: x.hash ?? '', blockSize: x.blockSize ?? 0, blocks: x.blocks ?? [], replaces,
  };
}

/**
 * Where a row's item lives (or would live) on a source. Present: its own spelling. Absent:
 * Tree matching puts it under the parent as that source spells the parent (case-insensitive
 * matching must not create `Docs/` beside `docs/`); Flat matching puts it at the path it has
 * on `from`.
 */
export function pathResolver(comparison: Comparison): (row: ComparisonRow, code: string, from?: string) => string {
  const folded = comparison.matching?.caseSensitive === false;
  const flat = comparison.matching?.matching === 'flat';
  if (!folded && !flat) return (row, code) => row.cells[code]?.path ?? row.path;
  const byKey = new Map(comparison.rows.map((r) => [folded ? r.path.toLowerCase() : r.path, r]));
  const on = (path: string, code: string): string => {
    if (path === '') return '';
    const row = byKey.get(folded ? path.toLowerCase() : path);
    const cell = row?.cells[code];
    if (row && cell) return cell.path ?? row.path;
    return joinPath(on(parentPath(path), code), baseName(path));
  };
  return (row, code, from) => {
    const cell = row.cells[code];
    if (cell) return cell.path ?? row.path;
    if (flat) return (from !== undefined ? row.cells[from]?.path : undefined) ?? row.path;
    return on(row.path, code);
  };
}

/** Folds paths for sets of "already handled" paths: case-insensitive matching must see `A/x` under `a`. */
export function pathKey(comparison: Comparison): (path: string) => string {
  return comparison.matching?.caseSensitive === false ? (p) => p.toLowerCase() : (p) => p;
}

/** Rows a plan never acts on: a source holding two items of the row (Flat duplicates, case twins). */
export function ambiguous(row: ComparisonRow, codes: readonly string[]): Refusal | null {
  const hit = row.duplicates?.find((c) => codes.includes(c));
  return hit === undefined ? null : { path: row.path, reason: 'ambiguous', detail: hit };
}

/**
 * Adds the directories copies need where the comparison does not show them (data type
 * "files", Flat matching): every missing ancestor of a copy's target path, parents first.
 * A directory the comparison shows on that target, or already created, is not added again.
 */
export function ensureParents(comparison: Comparison, writes: Action[]): Action[] {
  const key = pathKey(comparison);
  const present = new Map<string, Set<string>>(); // target → folded dirs it has
  const has = (code: string) => {
    let set = present.get(code);
    if (!set) {
      set = new Set();
      for (const row of comparison.rows) {
        const cell = row.cells[code];
        if (!cell) continue;
        const path = cell.path ?? row.path;
        for (const a of ancestors(path)) set.add(key(a));
        if (cell.kind === 'directory') set.add(key(path));
      }
      present.set(code, set);
    }
    return set;
  };
  for (const a of writes) if (a.type === 'mkdir') has(a.target).add(key(a.path));
  const out: Action[] = [];
  for (const a of writes) {
    if (a.type === 'copy') {
      const dirs = has(a.target);
      for (const dir of ancestors(a.targetPath)) {
        if (dir === '' || dirs.has(key(dir))) continue;
        dirs.add(key(dir));
        out.push({ type: 'mkdir', target: a.target, path: dir });
      }
    }
  }
  // Directories before copies (apply runs them first anyway; the summary reads better).
  return [...writes.filter((a) => a.type === 'mkdir'), ...out, ...writes.filter((a) => a.type !== 'mkdir')];
}

/** Keeps a directory holding files the data type hides from being deleted whole. */
export function guardHidden(comparison: Comparison, deletes: Action[], refusals: Refusal[]): Action[] {
  if (comparison.matching?.dataType !== 'directories') return deletes;
  const holds = new Set<string>();
  for (const row of comparison.rows) {
    for (const [code, cell] of Object.entries(row.cells)) if (cell?.holdsFiles) holds.add(`${code}\0${cell.path ?? row.path}`);
  }
  return deletes.filter((a) => {
    if (a.type !== 'delete' || !holds.has(`${a.target}\0${a.path}`)) return true;
    refusals.push({ path: a.path, reason: 'holds-hidden-files', detail: a.target });
    return false;
  });
}

/** Assembles the plan: deletions first (they free space, and on a case-folding target a rename is delete then create), then creations in path order. */
export function assemble(deletes: Action[], writes: Action[], refusals: Refusal[], comparison?: Comparison): Plan {
  const safeDeletes = comparison ? guardHidden(comparison, deletes, refusals) : deletes;
  const needParents = comparison && (comparison.matching?.matching === 'flat' || comparison.matching?.dataType === 'files');
  const actions = [...safeDeletes, ...(needParents ? ensureParents(comparison, writes) : writes)];
  return { actions, summary: summarize(actions), refusals };
}
