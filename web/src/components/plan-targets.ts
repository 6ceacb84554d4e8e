/** What a plan changes in each folder, for the confirmation: counts per target and its first deletions. */
import type { Plan } from '../../../core/plan/types.ts';

/** Deletions listed by name per folder; the rest are counted ("and N more"). */
export const LISTED_DELETIONS = 10;

export interface TargetChanges {
  target: string;
  copies: number;
  overwrites: number;
  bytes: number;
  directories: number;
  deletions: number;
  /** The first deleted paths, in the order the run deletes them. */
  deleted: string[];
}

/** One entry per folder the plan writes to, in the order the sources are listed (then any other code). */
export function changesByTarget(plan: Plan, order: readonly string[] = []): TargetChanges[] {
  const byTarget = new Map<string, TargetChanges>();
  for (const a of plan.actions) {
    let c = byTarget.get(a.target);
    if (!c) byTarget.set(a.target, (c = { target: a.target, copies: 0, overwrites: 0, bytes: 0, directories: 0, deletions: 0, deleted: [] }));
    if (a.type === 'copy') {
      c.copies++;
      c.bytes += a.size;
      if (a.replaces) c.overwrites++;
    } else if (a.type === 'mkdir') {
      c.directories++;
    } else {
      c.deletions++;
      if (c.deleted.length < LISTED_DELETIONS) c.deleted.push(a.path);
    }
  }
  const rank = (code: string) => (order.includes(code) ? order.indexOf(code) : order.length);
  return [...byTarget.values()].sort((a, b) => rank(a.target) - rank(b.target) || a.target.localeCompare(b.target));
}
