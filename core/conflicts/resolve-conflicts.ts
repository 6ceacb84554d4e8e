/**
 * Resolutions of conflict copies as an ordinary plan ("Keep this", "Keep the other", "Keep both"): copies and deletes
 * that apply like any run, so the outcome reaches every source and whatever is discarded goes to versions (§6).
 */
import type { EntryKind } from '../ports.ts';
import type { Comparison, ComparisonCell } from '../compare/types.ts';
import type { Action, CopyAction, Plan, Refusal } from '../plan/types.ts';
import { ancestors } from '../paths.ts';
import type { ConflictPair } from './find-conflicts.ts';
import { keptName } from './conflict-names.ts';

/** `this`: the conflict copy's content goes to the original's path; `other`: the original stays; `both`: the copy is renamed. */
export type ConflictChoice = 'this' | 'other' | 'both';

export interface Resolution {
  pair: ConflictPair;
  choice: ConflictChoice;
}

export interface ResolutionPlan extends Plan {
  /** Conflict copies left on a source because another source lacking them copies from there ("Keep this"/"Keep both"). */
  keptCopies: Array<{ source: string; path: string }>;
  /** "Keep both": the name each copy got. */
  renamed: Array<{ from: string; to: string }>;
}

interface Ctx {
  comparison: Comparison;
  writable: (code: string) => boolean;
  cell: (path: string, source: string) => ComparisonCell | null;
  actions: Action[];
  keptCopies: ResolutionPlan['keptCopies'];
}

/** A copy of `from`'s file at `path` to `target` at `targetPath`. Read from its own source, it runs before any delete (apply.ts). */
function copy(ctx: Ctx, from: string, path: string, target: string, targetPath: string): CopyAction {
  const c = ctx.cell(path, from) as ComparisonCell;
  const there = ctx.cell(targetPath, target);
  return {
    type: 'copy', from, target, path, targetPath, size: c.size ?? 0, ...(c.mtime !== undefined ? { mtime: c.mtime } : {}), hash: c.hash ?? '',
    blockSize: c.blockSize ?? 0, blocks: c.blocks ?? [], replaces: there ? there.kind : null,
  };
}

/** Folders missing on `target` above `path` (rows of the comparison say which exist there). */
function mkdirs(ctx: Ctx, target: string, path: string): void {
  for (const dir of ancestors(path).slice(1)) {
    if (ctx.cell(dir, target)?.kind === 'directory') continue;
    if (ctx.actions.some((a) => a.type === 'mkdir' && a.target === target && a.path === dir)) continue;
    ctx.actions.push({ type: 'mkdir', target, path: dir });
  }
}

/**
 * Puts the copy's content (that of the first source holding it) at `to` on every writable source: read from the
 * source's own copy where it holds that content, else from the carrier, whose copy then stays (it is read after
 * deletes run). Deletes the copy everywhere else.
 */
function spreadCopy(ctx: Ctx, pair: ConflictPair, to: string): void {
  const carrier = pair.copy[0] as { source: string; hash?: string };
  let carrierKeeps = false;
  const deletes: Action[] = [];
  for (const target of ctx.comparison.sources.filter(ctx.writable)) {
    const own = ctx.cell(pair.path, target);
    const there = ctx.cell(to, target);
    const sameHere = own?.kind === 'file' && own.hash === carrier.hash;
    if (!(there?.kind === 'file' && there.hash === carrier.hash)) {
      if (sameHere) ctx.actions.push(copy(ctx, target, pair.path, target, to));
      else {
        mkdirs(ctx, target, to);
        ctx.actions.push(copy(ctx, carrier.source, pair.path, target, to));
        if (target !== carrier.source) carrierKeeps = true;
      }
    }
    if (own) deletes.push({ type: 'delete', target, path: pair.path, kind: own.kind });
  }
  for (const d of deletes) {
    if (carrierKeeps && d.target === carrier.source) ctx.keptCopies.push({ source: d.target, path: pair.path });
    else ctx.actions.push(d);
  }
}

/** Keeps the original: the copy is deleted everywhere; a source whose original differs from the first holder's gets it. */
function keepOther(ctx: Ctx, pair: ConflictPair): void {
  const first = pair.other[0];
  for (const target of ctx.comparison.sources.filter(ctx.writable)) {
    const own = ctx.cell(pair.path, target);
    if (own) ctx.actions.push({ type: 'delete', target, path: pair.path, kind: own.kind });
    if (first?.kind !== 'file') continue; // a folder that won keeps its own contents, row by row, in the next run
    const there = ctx.cell(pair.original, target);
    if (there?.kind === 'file' && there.hash === first.hash) continue;
    mkdirs(ctx, target, pair.original);
    ctx.actions.push(copy(ctx, first.source, pair.original, target, pair.original));
  }
}

/**
 * The plan of a set of resolutions over the comparison they were chosen on. `sources` says which codes are folders
 * (only those are written). A pair that cannot be resolved safely is refused, with the copy's path: `unreadable` when a
 * source could not read it or its original, `ambiguous` when a row matches two items, `contradictory` when two
 * resolutions would touch one path (a copy chosen twice, or a "Keep this" whose original is another pair's copy).
 */
export function planResolutions(comparison: Comparison, sources: ReadonlyArray<{ code: string; rootKind: EntryKind }>, resolutions: readonly Resolution[]): ResolutionPlan {
  const rows = new Map(comparison.rows.map((r) => [r.path, r]));
  const writable = new Set(sources.filter((s) => s.rootKind === 'directory').map((s) => s.code));
  const ctx: Ctx = {
    comparison, writable: (code) => writable.has(code), actions: [], keptCopies: [],
    cell: (path, source) => rows.get(path)?.cells[source] ?? null,
  };
  const refusals: Refusal[] = [];
  const renamed: ResolutionPlan['renamed'] = [];
  const fold = (p: string) => (comparison.matching?.caseSensitive === false ? p.toLowerCase() : p);
  const taken = new Set(comparison.rows.map((r) => fold(r.path)));
  const touched = new Map<string, number>();
  for (const { pair } of resolutions) for (const p of [pair.path, pair.original]) touched.set(fold(p), (touched.get(fold(p)) ?? 0) + 1);
  for (const { pair, choice } of resolutions) {
    const row = rows.get(pair.path);
    if (!row || pair.blocked) {
      refusals.push({ path: pair.path, reason: (row?.duplicates?.length ?? 0) > 0 ? 'ambiguous' : 'unreadable' });
      continue;
    }
    // Two resolutions on one path would each plan against a state the other changes.
    if ((touched.get(fold(pair.path)) ?? 0) > 1 || (choice !== 'both' && (touched.get(fold(pair.original)) ?? 0) > 1)) {
      refusals.push({ path: pair.path, reason: 'contradictory' });
      continue;
    }
    if (choice === 'other') keepOther(ctx, pair);
    else if (choice === 'this') spreadCopy(ctx, pair, pair.original);
    else {
      const to = keptName(pair.path, (p) => taken.has(fold(p)));
      taken.add(fold(to));
      renamed.push({ from: pair.path, to });
      spreadCopy(ctx, pair, to);
    }
  }
  const copies = ctx.actions.filter((a): a is CopyAction => a.type === 'copy');
  return {
    actions: ctx.actions, refusals, keptCopies: ctx.keptCopies, renamed,
    summary: {
      copies: copies.length, overwrites: copies.filter((a) => a.replaces !== null).length, bytes: copies.reduce((n, a) => n + a.size, 0),
      directories: ctx.actions.filter((a) => a.type === 'mkdir').length, deletions: ctx.actions.filter((a) => a.type === 'delete').length,
    },
  };
}
