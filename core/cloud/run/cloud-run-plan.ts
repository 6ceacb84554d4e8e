/** The plan on the wire (issue 6): the leader's actions without block lists; each member rebuilds them from its own inventories. */
import * as v from 'valibot';
import type { Inventory, FileItem } from '../../inventory/types.ts';
import type { Action, ConflictRecord, Plan, PlanSummary } from '../../plan/types.ts';
import { isPeerPath } from '../../own-folder.ts';
import { comparePaths } from '../../paths.ts';
import { NO_ROLES, roleRefusal, type RoleOf } from '../../plan/roles.ts';

const Str = v.pipe(v.string(), v.maxLength(4096));
const Code = v.pipe(v.string(), v.regex(/^[A-E][1-9][0-9]?$/));
const Hex64 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const WireAction = v.union([
  v.strictTuple([v.literal('c'), Code, Code, Str, Str, Hex64, v.picklist(['file', 'directory', '']), v.boolean()]),
  v.strictTuple([v.literal('m'), Code, Str]),
  v.strictTuple([v.literal('d'), Code, Str, v.picklist(['file', 'directory'])]),
]);
const WirePlan = v.object({
  inventoryRun: v.pipe(v.string(), v.maxLength(64)),
  actions: v.pipe(v.array(WireAction), v.maxLength(2_000_000)),
  conflicts: v.pipe(v.array(v.object({ path: Str, winner: v.string(), losers: v.array(v.object({ source: v.string(), path: Str })) })), v.maxLength(100_000)),
  /** Roles (§10.11): what would revert each receive-only member's local change; run only by its owner, on its click. */
  held: v.optional(v.pipe(v.array(WireAction), v.maxLength(2_000_000))),
  /**
   * Sources Two-way left out as emptied (core/plan/restrict.ts): only A holds the base that tells, so it says which.
   * Optional and only informative: a member that does not know the key drops it (v.object), and nothing is checked by it.
   */
  emptied: v.optional(v.pipe(v.array(Code), v.maxLength(45))),
});
type WireAction = v.InferOutput<typeof WireAction>;

const wire = (a: Action): WireAction =>
  a.type === 'copy' ? ['c', a.from, a.target, a.path, a.targetPath, a.hash, a.replaces ?? '', a.conflict === true]
    : a.type === 'mkdir' ? ['m', a.target, a.path] : ['d', a.target, a.path, a.kind];

/** What the leader sends: which inventory round the plan was made from, and its actions. */
export function encodePlan(plan: Plan, inventoryRun: string): unknown {
  return {
    inventoryRun,
    actions: plan.actions.map(wire),
    conflicts: plan.conflicts ?? [],
    ...(plan.held && plan.held.length > 0 ? { held: plan.held.map(wire) } : {}),
    ...emptiedOf(plan),
  };
}

function emptiedOf(plan: Plan): { emptied?: string[] } {
  const codes = [...new Set(plan.refusals.filter((r) => r.reason === 'emptied' && r.detail).map((r) => r.detail as string))];
  return codes.length > 0 ? { emptied: codes } : {};
}

/** A plan as one member understood it: actions by the leader's index, `null` where this member's check refused one. */
export interface ResolvedPlan {
  actions: (Action | null)[];
  /** The target of every action (also of refused ones: their owner reports them). */
  targets: string[];
  conflicts: ConflictRecord[];
  summary: PlanSummary;
  /**
   * Actions this member's role check refused (already `null` in `actions`): by index, with the role's reason and source;
   * 'paused': this member paused its own continuous synchronization (core/continuous/paused-writes.ts).
   */
  roleRefused: { i: number; reason: 'send-only' | 'receive-only' | 'paused'; detail: string }[];
  /** Receive-only members' held actions (their "Revert"), checked like the others; `null` where refused. */
  held: (Action | null)[];
  /** Sources the leader's Two-way left out as emptied (a disk not mounted?), among this member's sources of the round. */
  emptied: string[];
}

/**
 * Checks the leader's plan against this member's own comparison: the plan must come from the inventory round this
 * member compared, every source must exist and a target be a directory, paths must be valid, and a copy's content
 * must be in its source's inventory (at its path, or anywhere in that source for a conflict copy). Every path must be a
 * peer path (own-folder.ts): an action on Quintet's own folder, under any spelling, is refused. Block lists, sizes
 * and mtimes come from the inventory, never from the plan. Null when the plan is malformed or of another round.
 */
export function resolvePlan(value: unknown, inventoryRun: string, inventories: readonly Inventory[], roleOf: RoleOf = NO_ROLES): ResolvedPlan | null {
  const parsed = v.safeParse(WirePlan, value);
  if (!parsed.success || parsed.output.inventoryRun !== inventoryRun) return null;
  const one = actionChecker(inventories);
  const summary: PlanSummary = { copies: 0, overwrites: 0, directories: 0, deletions: 0, bytes: 0 };
  const actions: (Action | null)[] = [];
  const targets: string[] = [];
  const roleRefused: ResolvedPlan['roleRefused'] = [];
  for (const w of parsed.output.actions) {
    targets.push(w[0] === 'c' ? w[2] : w[1]);
    const action = one(w);
    // Every member applies the roles of the settings it holds, whatever the leader planned (§10.11).
    const role = action ? roleRefusal(action, roleOf) : null;
    if (role) roleRefused.push({ i: actions.length, reason: role.reason as 'send-only' | 'receive-only', detail: role.detail ?? '' });
    if (!action || role) {
      actions.push(null);
      continue;
    }
    actions.push(action);
    if (action.type === 'copy') {
      summary.copies++;
      summary.bytes += action.size;
      if (action.replaces !== null) summary.overwrites++;
    } else if (action.type === 'mkdir') summary.directories++;
    else summary.deletions++;
  }
  // A held action is only ever its receive-only target's own revert: any other is refused.
  const held = (parsed.output.held ?? []).map((w) => {
    const action = one(w);
    return action && roleOf(action.target) === 'receive-only' && !roleRefusal(action, roleOf) ? action : null;
  });
  const known = new Set(inventories.map((i) => i.source));
  const emptied = [...new Set(parsed.output.emptied ?? [])].filter((c) => known.has(c));
  return { actions, targets, conflicts: parsed.output.conflicts, summary, roleRefused, held, emptied };
}

/**
 * A source's files found by path and by content, built on first use: a plan of a few actions (a continuous round) looks
 * up a few paths by binary search in the sorted items instead of indexing every file of every source.
 */
function fileFinder(inv: Inventory): { byPath(path: string): FileItem | undefined; byHash(hash: string): FileItem | undefined } {
  const items = inv.items;
  let sorted: boolean | undefined;
  let paths: Map<string, FileItem> | undefined;
  let hashes: Map<string, FileItem> | undefined;
  const search = (path: string): FileItem | undefined => {
    let lo = 0;
    let hi = items.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const item = items[mid] as Inventory['items'][number];
      const c = comparePaths(item.path, path);
      if (c === 0) return item.kind === 'file' ? item : undefined;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
  return {
    byPath(path) {
      sorted ??= items.every((item, i) => i === 0 || comparePaths((items[i - 1] as Inventory['items'][number]).path, item.path) < 0);
      if (sorted) return search(path);
      paths ??= new Map(items.flatMap((item) => (item.kind === 'file' ? [[item.path, item] as const] : [])));
      return paths.get(path);
    },
    byHash(hash) {
      if (!hashes) {
        hashes = new Map();
        for (const item of items) if (item.kind === 'file' && !hashes.has(item.hash)) hashes.set(item.hash, item);
      }
      return hashes.get(hash);
    },
  };
}

/** Checks one wire action against this member's inventories (see resolvePlan): the action, or null when refused. */
function actionChecker(inventories: readonly Inventory[]): (w: WireAction) => Action | null {
  const byCode = new Map(inventories.map((inv) => [inv.source, inv]));
  const finders = new Map<string, ReturnType<typeof fileFinder>>();
  const finder = (code: string) => {
    const inv = byCode.get(code);
    if (!inv) return undefined;
    let f = finders.get(code);
    if (!f) finders.set(code, (f = fileFinder(inv)));
    return f;
  };
  const writable = (code: string) => byCode.get(code)?.rootKind === 'directory';
  return (w) => {
    if (w[0] === 'c') {
      const [, from, target, path, targetPath, hash, replaces, conflict] = w;
      const f = finder(from);
      const atPathItem = f?.byPath(path);
      const item = atPathItem?.hash === hash ? atPathItem : f?.byHash(hash);
      const atPath = item?.path === path;
      if (!item || !writable(target) || !byCode.has(from) || !isPeerPath(path) || !isPeerPath(targetPath)) return null;
      return {
        type: 'copy', from, target, path, targetPath, size: item.size, ...(atPath ? { mtime: item.mtime } : {}),
        ...(atPath && item.mode !== undefined ? { mode: item.mode } : {}), hash,
        blockSize: item.blockSize, blocks: item.blocks, replaces: replaces === '' ? null : replaces, ...(conflict ? { conflict } : {}),
      };
    }
    const [kind, target, path] = w;
    if (!writable(target) || !isPeerPath(path)) return null;
    return kind === 'm' ? { type: 'mkdir', target, path } : { type: 'delete', target, path, kind: w[3] };
  };
}
