/** A receive-only member's local changes (docs/protocol.md §10.11): listed from the plan's held actions, reverted on its click. */
import type { CancelSignal, Clock, DirSink, Hasher, Store } from '../../ports.ts';
import type { Action } from '../../plan/types.ts';
import type { BlockProvider } from '../../transfer/block-provider.ts';
import { ancestors } from '../../paths.ts';
import type { ResolvedPlan } from './cloud-run-plan.ts';
import { runShare } from './cloud-run-sync.ts';

/** One item of this member that differs from the others because its role kept its change from spreading. */
export interface LocalChange {
  /** Its id for revert: the index of its first held action. */
  i: number;
  /** This member's source holding it. */
  source: string;
  path: string;
  /** What this member did relative to the others: created it, edited it (or changed its kind), deleted it. */
  change: 'created' | 'edited' | 'deleted';
  /** The held actions that take the others' state back (indices into the plan's `held`). */
  actions: number[];
}

/** The path a held action is about on its target. */
const pathOf = (a: Action): string => (a.type === 'copy' ? a.targetPath : a.path);

/** The local changes of this member (`own` source codes) from the held actions, leaving out reverted ones. */
export function localChangesOf(held: readonly (Action | null)[], own: ReadonlySet<string>, reverted: ReadonlySet<number>): LocalChange[] {
  const byItem = new Map<string, { source: string; path: string; actions: Action[]; indices: number[] }>();
  held.forEach((a, i) => {
    if (!a || !own.has(a.target) || reverted.has(i)) return;
    const key = `${a.target}\0${pathOf(a)}`;
    const item = byItem.get(key) ?? { source: a.target, path: pathOf(a), actions: [], indices: [] };
    item.actions.push(a);
    item.indices.push(i);
    byItem.set(key, item);
  });
  return [...byItem.values()].map(({ source, path, actions, indices }) => {
    const deletes = actions.some((a) => a.type === 'delete');
    const writes = actions.some((a) => a.type !== 'delete');
    const replaces = actions.some((a) => a.type === 'copy' && a.replaces !== null);
    const change = !writes ? 'created' : deletes || replaces ? 'edited' : 'deleted';
    return { i: indices[0] as number, source, path, change, actions: indices };
  });
}

export interface RevertOptions {
  held: readonly (Action | null)[];
  which: readonly number[] | 'all';
  /** Held indices reverted already (updated with what this revert did). */
  reverted: Set<number>;
  own: ReadonlyMap<string, { source: DirSink; id: string }>;
  /** Blocks of the others' sources: the sync's puller (owners serve held copies under its run). */
  remote: BlockProvider;
  run: string;
  hasher: Hasher;
  store: Store;
  clock: Clock;
  signal: CancelSignal;
}

/**
 * Runs the held actions of the chosen local changes (with the held directories their paths need) through runShare,
 * the one writing path: whatever stands there goes to versions first. Returns how many actions were done and failed.
 */
export async function revertLocal(o: RevertOptions): Promise<{ done: number; failed: number }> {
  const changes = localChangesOf(o.held, new Set(o.own.keys()), o.reverted);
  const which = o.which;
  const chosen = which === 'all' ? changes : changes.filter((c) => which.includes(c.i));
  const picked = new Set(chosen.flatMap((c) => c.actions));
  // A file brought back inside a directory this member deleted needs that directory back first.
  for (const c of chosen) {
    const up = new Set(ancestors(c.path));
    o.held.forEach((a, i) => {
      if (a?.type === 'mkdir' && a.target === c.source && up.has(a.path) && !o.reverted.has(i)) picked.add(i);
    });
  }
  const indices = [...picked].sort((a, b) => a - b); // held order: deletions, then directories and copies
  const actions = indices.map((i) => o.held[i] as Action);
  const resolved: ResolvedPlan = {
    actions, targets: actions.map((a) => a.target), conflicts: [], roleRefused: [], held: [], emptied: [],
    summary: { copies: 0, overwrites: 0, directories: 0, deletions: 0, bytes: 0 },
  };
  const { result } = await runShare({
    run: o.run, resolved, own: o.own, remote: o.remote, hasher: o.hasher, store: o.store, clock: o.clock, signal: o.signal,
    onProgress: () => undefined,
  });
  for (const k of result.done) o.reverted.add(indices[k] as number);
  return { done: result.done.length, failed: result.failed.length + result.skipped.length };
}
