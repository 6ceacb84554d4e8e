/** A cloud run's results as the RunRecord fields (core/unattended/run-record.ts): counts per action and member, bytes, every item not done. */
import type { Action, Plan } from '../core/plan/types.ts';
import type { RunResultMessage } from '../core/protocol/run-messages.ts';
import type { CloudMemberView } from '../core/cloud/cloud-session-types.ts';
import { SKIP_REASONS, writtenPath } from '../core/plan/skipped.ts';
import { emptyCounts, type RunCounts, type RunError, type RunMemberShare, type RunRecord } from '../core/unattended/run-record.ts';
import { planRefusal, unflushedError } from '../core/unattended/record-from-result.ts';

/** What one group run fills in its record; the runner adds id, profile, kind, start, end and duration. */
export type GroupRunOutcome = Pick<RunRecord, 'status' | 'present' | 'missing' | 'counts' | 'perMember' | 'bytes' | 'errors' | 'message'>;

/** An outcome where nothing ran (no members, a failure before the run, a stop). */
export function emptyOutcome(status: GroupRunOutcome['status'], message: string, present: string[] = [], missing: string[] = []): GroupRunOutcome {
  return { status, present, missing, counts: emptyCounts(), perMember: [], bytes: 0, errors: [], message };
}

function add(into: RunCounts, from: RunCounts): void {
  into.planned += from.planned;
  into.done += from.done;
  into.failed += from.failed;
  into.skipped += from.skipped;
  for (const [kind, n] of Object.entries(from.byAction)) into.byAction[kind] = (into.byAction[kind] ?? 0) + n;
}

/**
 * What a member's own folders left out of a round, as the hub's record counts it from the plan's refusals (a member
 * has no refusals): its sources the leader's Two-way left out as emptied (ResolvedPlan.emptied), and the paths its own
 * walk could not read (the comparison's `unreadable`), each a skipped item.
 */
export function ownLeftOut(letter: string, emptied: readonly string[], unreadable: Readonly<Record<string, readonly string[]>> = {}): RunError[] {
  return [
    ...emptied.map((source) => ({ source, path: '', reason: 'emptied' })),
    ...Object.entries(unreadable).filter(([code]) => code.startsWith(letter)).flatMap(([source, paths]) => paths.map((path) => ({ source, path, reason: 'unreadable' }))),
  ];
}

/**
 * One member's share: the actions whose target is one of its sources, and what its result says of them. `left`: what
 * its own folders left out (ownLeftOut), each a skipped item.
 */
export function shareOf(letter: string, actions: readonly (Action | null)[], result: RunResultMessage | undefined, left: readonly RunError[] = []): { counts: RunCounts; errors: RunError[] } {
  const counts = emptyCounts();
  const errors: RunError[] = [...left];
  counts.skipped = left.length;
  for (const action of actions) {
    if (!action || !action.target.startsWith(letter)) continue;
    counts.planned++;
    counts.byAction[action.type] = (counts.byAction[action.type] ?? 0) + 1;
  }
  if (!result) return { counts, errors };
  const where = (i: number) => {
    const action = actions[i];
    return action ? { source: action.target, path: writtenPath(action) } : { path: `action ${i}` };
  };
  counts.done = result.done.length;
  counts.failed = result.failed.length;
  counts.skipped += result.skipped.length;
  for (const f of result.failed) errors.push({ ...where(f.i), reason: `${f.code}: ${f.message}` });
  const why = result.stopped ? 'stopped before it was done' : result.denied?.length ? `skipped (no write permission on ${result.denied.join(', ')}, or not done)` : 'skipped';
  for (const i of result.skipped) errors.push({ ...where(i), reason: why });
  for (const u of result.unflushed ?? []) errors.push(unflushedError(u.source, u.message));
  return { counts, errors };
}

/**
 * A group member's status from its own result: stopped, failed when it had actions and did none (some failed), partial
 * with anything failed, skipped or not flushed to disk (its writes may not survive a power cut), else ok.
 */
export function memberStatus(result: RunResultMessage, counts: RunCounts): GroupRunOutcome['status'] {
  if (result.stopped) return 'stopped';
  if (counts.planned > 0 && counts.done === 0 && counts.failed > 0) return 'failed';
  return counts.failed + counts.skipped > 0 || (result.unflushed?.length ?? 0) > 0 ? 'partial' : 'ok';
}

/** The hub's record of a finished round: every member's share, the plan's own refusals, and the status they give. */
export function hubOutcome(plan: Plan, actions: readonly (Action | null)[], results: ReadonlyMap<string, RunResultMessage>, members: readonly CloudMemberView[], present: string[], missing: string[]): GroupRunOutcome {
  const counts = emptyCounts();
  const errors: RunError[] = [];
  const perMember: RunMemberShare[] = [];
  let bytes = 0;
  for (const m of members) {
    const result = results.get(m.id);
    const share = shareOf(m.letter, actions, result);
    add(counts, share.counts);
    errors.push(...share.errors);
    perMember.push({ letter: m.letter, name: m.name, counts: share.counts, bytes: result?.bytes ?? 0 });
    bytes += result?.bytes ?? 0;
  }
  for (const r of plan.refusals) {
    if (!SKIP_REASONS.has(r.reason)) continue;
    counts.skipped++;
    errors.push({ ...(r.detail ? { source: r.detail } : {}), path: r.path, reason: r.reason });
  }
  const stopped = [...results.values()].some((r) => r.stopped);
  const unflushed = [...results.values()].flatMap((r) => r.unflushed ?? []).map((u) => u.source);
  // An expected member missing makes the run partial even when all that ran went well (docs/profiles.md); so does a
  // target not flushed to disk (its writes may not survive a power cut), as `quintet local` exits 3 for it.
  // A plan refused as a whole (a single-file source in a Two-way, Flat matching) ran nothing: failed, with its reason.
  const refusal = planRefusal(plan);
  // Actions planned and none done, some failed: failed, as a local run's record says it (runner.ts statusOf).
  const noneDone = counts.planned > 0 && counts.done === 0 && counts.failed > 0;
  const status = stopped ? 'stopped' : refusal || noneDone ? 'failed' : counts.failed + counts.skipped > 0 || missing.length > 0 || unflushed.length > 0 ? 'partial' : 'ok';
  const left = [
    counts.failed + counts.skipped > 0 ? `${counts.failed} failed, ${counts.skipped} skipped` : '',
    missing.length > 0 ? `missing: ${missing.join(', ')}` : '',
    unflushed.length > 0 ? `not flushed to disk: ${unflushed.join(', ')}` : '',
  ];
  const message = status === 'ok' ? undefined : status === 'stopped' ? 'stopped during the synchronization' : [refusal ?? '', ...left].filter(Boolean).join('; ');
  return { status, present, missing, counts, perMember, bytes, errors, ...(message ? { message } : {}) };
}
