/** What a run leaves out and must say so: items seen but not synchronized (unreadable, a refused name, a refused permission). */
import type { Action, Plan, Refusal, RefusalReason } from './types.ts';
import { summarize } from './plan-common.ts';

/** What a member role leaves unsynchronized (roles.ts): skipped items too, each counted (a whole preset refused is not an item). */
export const ROLE_REASONS: readonly RefusalReason[] = ['send-only', 'receive-only', 'local-change'];

/** The refusals that leave an item the walk saw unsynchronized: each is a "Skipped" row and counts in the result. */
export const SKIP_REASONS: ReadonlySet<RefusalReason> = new Set<RefusalReason>(['unreadable', 'name-refused', 'permission', 'emptied', ...ROLE_REASONS]);

/** The path an action writes or deletes on its target. */
export const writtenPath = (a: Action): string => (a.type === 'copy' ? a.targetPath : a.path);

/** The skipped items of a plan, one per path and reason (a run's result counts these). */
export function skippedOf(refusals: readonly Refusal[]): Refusal[] {
  const seen = new Set<string>();
  const out: Refusal[] = [];
  for (const r of refusals) {
    if (!SKIP_REASONS.has(r.reason) || (r.path === '' && ROLE_REASONS.includes(r.reason))) continue;
    const key = `${r.reason}\0${r.detail ?? ''}\0${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

/**
 * The plan without any action on `targets` (those whose write permission was refused): each
 * removed action becomes a 'permission' refusal naming its path and target, so the run skips
 * them visibly instead of failing on every one or, worse, doing nothing without a word.
 */
export function withoutTargets(plan: Plan, targets: ReadonlySet<string>): Plan {
  if (targets.size === 0) return plan;
  const refusals: Refusal[] = [];
  const actions = plan.actions.filter((a) => {
    if (!targets.has(a.target)) return true;
    refusals.push({ path: writtenPath(a), reason: 'permission', detail: a.target });
    return false;
  });
  if (refusals.length === 0) return plan;
  return { ...plan, actions, summary: summarize(actions), refusals: [...plan.refusals, ...refusals] };
}
