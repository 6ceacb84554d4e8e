/** Rules and targeted actions → a plan, through a consistency check that refuses, item by item, what cannot be done. */
import type { Comparison, ComparisonRow } from '../compare/types.ts';
import type { Action, Plan, Refusal, RefusalReason } from './types.ts';
import type { Rule, RuleAction, TargetedAction } from './rules-types.ts';
import { ambiguous, assemble, copyOf, coveredBy, ensureParents, pathKey, pathResolver, unreadableSet, type PlanSource } from './plan-common.ts';
import { ruleMatches } from './conditions.ts';

type Acting = Exclude<RuleAction, { do: 'nothing' }>;

/** One action a rule or a targeted action wants on one row, once turned into plan actions. */
interface Intent {
  act: Acting;
  /** The source it reads from, if any. */
  from?: string;
  /** The source it changes. */
  target: string;
  /** What the target holds afterwards: 'del', 'dir' or 'f:<hash>' (two intents agreeing are one). */
  outcome: string;
  actions: Action[];
}

/**
 * Builds a plan from rules (in order: every matching rule acts, until one says "do nothing")
 * and targeted actions (which replace the rules on their rows). Each wanted action is checked
 * on its own (source present, not identical already, target able to hold it) and then against
 * the others of the same item: a target that is also the source of another action
 * (`target-is-source`), or two actions leaving one target in different states
 * (`contradictory`), are refused with the item's path; so is a write under a directory
 * another action deletes on the same target.
 */
export function planRules(comparison: Comparison, sources: readonly PlanSource[], input: { rules: readonly Rule[]; targeted: readonly TargetedAction[] }): Plan {
  const codes = comparison.sources;
  const kinds = new Map(sources.map((s) => [s.code, s.rootKind]));
  const key = pathKey(comparison);
  const on = pathResolver(comparison);
  const caseSensitive = comparison.matching?.caseSensitive !== false;
  const { set: unread, refusals } = unreadableSet(comparison, codes);
  const targeted = new Map<string, TargetedAction['action'][]>();
  for (const t of input.targeted) for (const p of t.paths) targeted.set(key(p), [...(targeted.get(key(p)) ?? []), t.action]);

  const deletes: Action[] = [];
  const writes: Action[] = [];
  const deletedDirs = new Map<string, Set<string>>(codes.map((c) => [c, new Set()]));
  for (const row of comparison.rows) {
    const wanted = targeted.get(key(row.path)) ?? rulesFor(input.rules, row, caseSensitive);
    if (wanted.length === 0) continue;
    if (coveredBy(row.path, unread, true)) continue;
    const odd = ambiguous(row, codes);
    if (odd) {
      refusals.push(odd);
      continue;
    }
    const refuse = (reason: RefusalReason, detail?: string) => refusals.push({ path: row.path, reason, ...(detail !== undefined ? { detail } : {}) });
    const intents: Intent[] = [];
    for (const act of wanted) {
      const made = materialize(row, act, codes, kinds, on);
      if ('reason' in made) refuse(made.reason, made.detail);
      else intents.push(made);
    }
    for (const intent of consistent(intents, refuse)) {
      if (coveredBy(key(row.path), deletedDirs.get(intent.target) ?? new Set(), false)) {
        if (intent.outcome !== 'del') refuse('contradictory', intent.target); // a write inside a directory being deleted
        continue;
      }
      for (const a of intent.actions) {
        if (a.type === 'delete') {
          deletes.push(a);
          if (a.kind === 'directory') deletedDirs.get(a.target)?.add(key(row.path));
        } else writes.push(a);
      }
    }
  }
  return assemble(deletes, ensureParents(comparison, writes), refusals, comparison, unread);
}

/** Every matching rule's action in order, up to (not including) the first "do nothing". */
function rulesFor(rules: readonly Rule[], row: ComparisonRow, caseSensitive: boolean): Acting[] {
  const out: Acting[] = [];
  for (const rule of rules) {
    if (!ruleMatches(rule, row, caseSensitive)) continue;
    if (rule.action.do === 'nothing') break;
    out.push(rule.action);
  }
  return out;
}

/** Checks one wanted action on its own and turns it into plan actions, or says why not. */
function materialize(
  row: ComparisonRow, act: Acting, codes: readonly string[], kinds: ReadonlyMap<string, string>, on: (row: ComparisonRow, code: string, from?: string) => string,
): Intent | Omit<Refusal, 'path'> {
  const target = act.do === 'copy' || act.do === 'copy-content' ? act.to : act.on;
  const from = act.do === 'copy' || act.do === 'copy-content' ? act.from : undefined;
  for (const code of [target, from]) if (code !== undefined && !codes.includes(code)) return { reason: 'unknown-source', detail: code };
  if (from === target) return { reason: 'same-source', detail: target };
  if (kinds.get(target) === 'file') return { reason: 'file-source-target', detail: target };
  const y = row.cells[target] ?? null;
  const x = from !== undefined ? (row.cells[from] ?? null) : null;
  const at = on(row, target, from);
  const intent = (outcome: string, actions: Action[]): Intent => ({ act, target, outcome, actions, ...(from !== undefined ? { from } : {}) });
  switch (act.do) {
    case 'delete':
      if (!y) return { reason: 'nothing-to-delete', detail: target };
      return intent('del', [{ type: 'delete', target, path: at, kind: y.kind }]);
    case 'create-directory':
      if (y?.kind === 'file') return { reason: 'kind-mismatch', detail: target };
      if (y) return { reason: 'identical-content', detail: target };
      return intent('dir', [{ type: 'mkdir', target, path: at }]);
    case 'copy-content':
    case 'copy': {
      if (!x) return { reason: 'nothing-to-copy', detail: from };
      if (act.do === 'copy-content' && (x.kind !== 'file' || y?.kind !== 'file')) return { reason: 'kind-mismatch', detail: target };
      if (x.kind === 'directory') {
        if (y?.kind === 'directory') return { reason: 'identical-content', detail: target };
        const clear: Action[] = y ? [{ type: 'delete', target, path: at, kind: 'file' }] : [];
        return intent('dir', [...clear, { type: 'mkdir', target, path: at }]);
      }
      if (y?.kind === 'file' && y.hash === x.hash) return { reason: 'identical-content', detail: target };
      return intent(`f:${x.hash ?? ''}`, [copyOf(row, from as string, x, target, y ? y.kind : null, at)]);
    }
  }
}

/** The intents of one item that can all happen: duplicates merged, contradictions and read-while-written refused. */
function consistent(intents: Intent[], refuse: (reason: RefusalReason, detail?: string) => void): Intent[] {
  const byTarget = new Map<string, Intent[]>();
  for (const i of intents) byTarget.set(i.target, [...(byTarget.get(i.target) ?? []), i]);
  const kept: Intent[] = [];
  for (const [target, list] of byTarget) {
    if (new Set(list.map((i) => i.outcome)).size > 1) refuse('contradictory', target);
    else kept.push(list[0] as Intent);
  }
  const written = new Set(kept.map((i) => i.target));
  return kept.filter((i) => {
    if (i.from === undefined || !written.has(i.from)) return true;
    refuse('target-is-source', i.from);
    return false;
  });
}
