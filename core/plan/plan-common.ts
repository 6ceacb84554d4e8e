/** What Mirror and Update share: source checks, refusals, unreadable paths, summary. */
import type { EntryKind } from '../ports.ts';
import type { Comparison, ComparisonCell, ComparisonRow } from '../compare/types.ts';
import type { Action, CopyAction, Plan, PlanSummary, Refusal } from './types.ts';
import { ancestors } from '../paths.ts';

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

/** Whether `path` or one of its ancestors is in `set` (O(depth)). */
export function coveredBy(path: string, set: ReadonlySet<string>, includeSelf: boolean): boolean {
  if (set.size === 0) return false;
  if (includeSelf && set.has(path)) return true;
  return ancestors(path).some((a) => set.has(a));
}

/** The copy of a file cell of `from` to the same path on `to`. */
export function copyOf(row: ComparisonRow, from: string, x: ComparisonCell, target: string, replaces: CopyAction['replaces']): CopyAction {
  return {
    type: 'copy', from, target, path: row.path, targetPath: row.path,
    size: x.size ?? 0, mtime: x.mtime, hash: x.hash ?? '', blockSize: x.blockSize ?? 0, blocks: x.blocks ?? [], replaces,
  };
}

/** Assembles the plan: deletions first (they free space, and on a case-folding target a rename is delete then create), then creations in path order. */
export function assemble(deletes: Action[], writes: Action[], refusals: Refusal[]): Plan {
  const actions = [...deletes, ...writes];
  return { actions, summary: summarize(actions), refusals };
}
