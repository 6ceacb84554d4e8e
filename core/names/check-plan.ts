/** Checks a plan against what each target can hold, before the run: a refused name is reported, never merged or mangled. */
import type { Comparison } from '../compare/types.ts';
import type { Action, CopyAction, Plan, Refusal } from '../plan/types.ts';
import { summarize } from '../plan/plan-common.ts';
import { isWithin } from '../paths.ts';
import { caseCollisions, pathProblem, type TargetTraits } from './names.ts';

const written = (a: Action) => (a.type === 'copy' ? a.targetPath : a.path);

/**
 * Removes from `plan` every creation (copy, directory) a target cannot hold, and whatever
 * lies under a refused directory, each as a `name-refused` refusal whose detail is the
 * NameProblem ('parent-refused' under a refused directory). Case collisions are looked for in
 * each directory among the names the target keeps (the comparison's, minus deletions) and
 * the names the plan creates there.
 */
export function checkPlanNames(plan: Plan, comparison: Comparison, traits: (target: string) => TargetTraits): Plan {
  const refusals: Refusal[] = [];
  const refusedDirs = new Map<string, string[]>();
  const bad = new Map<Action, string>();
  const byTarget = new Map<string, Action[]>();
  for (const a of plan.actions) {
    const list = byTarget.get(a.target);
    if (list) list.push(a);
    else byTarget.set(a.target, [a]);
  }

  for (const [target, actions] of byTarget) {
    const t = traits(target);
    const creating = actions.filter((a) => a.type !== 'delete');
    for (const a of creating) {
      const problem = pathProblem(written(a), t);
      if (problem) bad.set(a, problem);
    }
    if (!t.caseInsensitive) continue;
    const deleted = actions.filter((a) => a.type === 'delete').map((a) => a.path);
    const existing: string[] = [];
    for (const row of comparison.rows) {
      const cell = row.cells[target];
      const p = cell?.path ?? row.path;
      if (cell && !deleted.some((d) => isWithin(p, d))) existing.push(p);
    }
    // A copy over the same path is a replacement, not a second name.
    const kept = new Set(existing);
    const collisions = caseCollisions(existing, creating.map(written).filter((p) => !kept.has(p)));
    for (const a of creating) if (collisions.has(written(a)) && !bad.has(a)) bad.set(a, 'case-collision');
  }
  for (const [a, problem] of bad) {
    if (a.type === 'mkdir') refusedDirs.set(a.target, [...(refusedDirs.get(a.target) ?? []), a.path]);
    refusals.push({ path: written(a), reason: 'name-refused', detail: problem });
  }
  const actions = plan.actions.filter((a) => {
    if (bad.has(a)) return false;
    const under = (refusedDirs.get(a.target) ?? []).find((d) => isWithin(written(a), d) && written(a) !== d);
    if (under === undefined) return true;
    refusals.push({ path: written(a), reason: 'name-refused', detail: 'parent-refused' });
    return false;
  });
  if (refusals.length === 0) return plan;
  const kept = keepLosers(plan, actions, refusals);
  return { ...plan, ...kept, summary: summarize(kept.actions), refusals: [...plan.refusals, ...refusals] };
}

/**
 * A two-way loser whose own conflict copy was refused keeps its version where it is: nothing replaces, deletes or
 * builds over its original on that source (else the edit would survive only under versions), and no other source
 * copies the conflict copy that will not exist. The conflict stays, and is planned again by the next run.
 */
function keepLosers(plan: Plan, actions: Action[], refusals: Refusal[]): Pick<Plan, 'actions' | 'conflicts'> {
  const left = new Set(actions);
  const refused = plan.actions.filter((a): a is CopyAction => a.type === 'copy' && a.conflict === true && a.from === a.target && !left.has(a));
  if (refused.length === 0) return { actions, ...(plan.conflicts ? { conflicts: plan.conflicts } : {}) };
  const lost = (a: Action) => refused.some((c) => (a.target === c.target && isWithin(written(a), c.path)) || (a.type === 'copy' && a.from === c.target && a.path === c.targetPath));
  const out: Action[] = [];
  for (const a of actions) {
    if (!lost(a)) out.push(a);
    else refusals.push({ path: written(a), reason: 'name-refused', detail: 'conflict-copy-refused' });
  }
  const gone = new Set(refused.map((c) => `${c.target}\0${c.targetPath}`));
  const conflicts = plan.conflicts
    ?.map((r) => ({ ...r, losers: r.losers.filter((l) => !gone.has(`${l.source}\0${l.path}`)) }))
    .filter((r) => r.losers.length > 0);
  return { actions: out, ...(conflicts ? { conflicts } : {}) };
}
