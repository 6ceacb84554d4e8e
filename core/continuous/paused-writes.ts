/**
 * A member that paused its own continuous synchronization refuses writes to its sources itself (docs/protocol.md §12,
 * Pause): the leader leaves a paused member out of its plans, but a member does not rely on that — a plan from a
 * leader that did not hear the pause yet, or that ignores it, is checked here like roles are (§10.11).
 */
import type { ResolvedPlan } from '../cloud/run/cloud-run-plan.ts';

/** `resolved` with every action on one of `own` (this member's source codes) refused as 'paused': skipped, never written. */
export function withPausedWrites(resolved: ResolvedPlan, own: ReadonlySet<string>): ResolvedPlan {
  const refused: ResolvedPlan['roleRefused'] = [];
  const actions = resolved.actions.map((a, i) => {
    const target = resolved.targets[i] as string;
    if (!own.has(target) || resolved.roleRefused.some((r) => r.i === i)) return a;
    if (a !== null) refused.push({ i, reason: 'paused', detail: target });
    return null;
  });
  if (refused.length === 0) return resolved;
  return { ...resolved, actions, roleRefused: [...resolved.roleRefused, ...refused].sort((x, y) => x.i - y.i) };
}
