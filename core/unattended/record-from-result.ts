/**
 * Turns what the engine returns at the end of a run (a local RunResult, or a cloud run's resolved plan and every
 * member's result) into the RunRecord the history keeps. Pure: times and the id suffix come from the caller.
 */
import type { Action, Plan, Refusal } from '../plan/types.ts';
import type { RunResult } from '../transfer/types.ts';
import type { RunResultMessage } from '../protocol/run-messages.ts';
import type { RunCounts, RunError, RunMemberShare, RunRecord, RunStatus } from './run-record.ts';
import { SKIP_REASONS, skippedOf, writtenPath } from '../plan/skipped.ts';

/**
 * A sortable, unique record id: the start as UTC ISO time with ':' and '.' made file-name safe, plus a suffix the
 * caller draws at random (4+ hex digits), e.g. 2026-11-29T02-00-00.000Z-3f9a (milliseconds kept: two runs in one
 * second still sort by start).
 */
export function runRecordId(startMs: number, suffix: string): string {
  return `${new Date(startMs).toISOString().replaceAll(':', '-')}-${suffix}`;
}

/** Planned actions by kind, with the engine's own names: copy, mkdir, delete. */
export function countByAction(actions: readonly (Action | null)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of actions) if (a) out[a.type] = (out[a.type] ?? 0) + 1;
  return out;
}

/** Where an action lands, as the user reads it: target code and path. */
const targetOf = (a: Action): RunError => ({ source: a.target, path: writtenPath(a), reason: '' });

/**
 * A skipped item's reason: `skipped: <refusal reason>` and its detail in parentheses (a name code, a source code),
 * so a reader can tell it apart from a failure (`<error code>: <message>`).
 */
export function skippedReason(r: { reason: string; detail?: string | undefined }): string {
  return `skipped: ${r.reason}${r.detail ? ` (${r.detail})` : ''}`;
}

/** The status a run's outcome earns; `stopped` and `failed` win over the counts. */
export function statusOf(o: { stopped: boolean; failedWhole: boolean; done: number; failed: number; skipped: number }): RunStatus {
  if (o.failedWhole) return 'failed';
  if (o.stopped) return 'stopped';
  if (o.failed > 0 && o.done === 0) return 'failed';
  if (o.failed > 0 || o.skipped > 0) return 'partial';
  return 'ok';
}

/**
 * Why a plan was refused as a whole (no action, and a refusal of the whole preset that is no skipped item: a single-file
 * source in a Two-way, Flat matching, one source twice): the run did nothing it was asked for, so its record must not
 * say ok. Undefined for any other plan (one with nothing to do is fine).
 */
export function planRefusal(plan: Pick<Plan, 'actions' | 'refusals'>): string | undefined {
  if (plan.actions.length > 0) return undefined;
  const r = plan.refusals.find((x) => x.path === '' && !SKIP_REASONS.has(x.reason));
  return r && `the plan was refused: ${r.reason}${r.detail ? ` (${r.detail})` : ''}`;
}

export interface LocalRunInput {
  /** The profile's name, or what the page calls an unsaved session ("Local session"). */
  profile: string;
  /** The plan that was confirmed (its actions are the planned counts; its skip refusals are listed). */
  plan: Plan;
  /** The engine's result; null when the run threw before returning one (then `failure` says why). */
  result: RunResult | null;
  /** A failure of the whole run (permission of every folder, an exception), as a sentence. */
  failure?: string;
  /** Epoch ms: when the user started and when the page saw the end (used when `result` is missing). */
  start: number;
  end: number;
  /** Random suffix for the id. */
  suffix: string;
}

/**
 * The record of one Local Session synchronization. Counts: planned = the plan's actions; done, failed and skipped as
 * the result reports them (skipped = the result's skipped items, which include the plan's skip refusals and targets
 * whose permission was refused). Every failure and every skipped item is listed in `errors`, none dropped.
 */
export function recordFromLocalRun(input: LocalRunInput): RunRecord {
  const r = input.result;
  const start = r?.startedAt ?? input.start;
  const end = r?.endedAt ?? input.end;
  const { counts, errors } = localShare(input.plan, r);
  const refusal = planRefusal(input.plan);
  const counted = statusOf({ stopped: r?.cancelled ?? false, failedWhole: !r || refusal !== undefined, done: counts.done, failed: counts.failed, skipped: counts.skipped });
  // Every action done but a target where the run could not be recorded (no undo there) or flushed: not ok, as the CLI's.
  const status = counted === 'ok' && errors.length > 0 ? 'partial' : counted;
  const record: RunRecord = {
    id: runRecordId(start, input.suffix),
    profile: input.profile,
    kind: 'local',
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    durationMs: Math.max(0, end - start),
    status,
    present: [],
    missing: [],
    counts,
    perMember: [],
    bytes: r?.bytesWritten ?? 0,
    errors,
  };
  if (!r) record.message = input.failure ?? 'the run did not complete';
  else if (refusal) record.message = refusal;
  else if (r.cancelled) record.message = 'stopped before the end';
  return record;
}

/**
 * A Local Session run's counts and every item it left out, for the page's record and the CLI's (`quintet run`): the
 * plan's actions are planned; done, failed and skipped as the result says (its skipped items include the plan's skip
 * refusals and targets whose permission was refused; without a result, the plan's refusals). A target where the run
 * manifest could not be written is listed too: the run happened but cannot be undone there; so is one whose folders
 * could not be flushed to disk (Node: a power cut may undo what the run wrote there).
 */
/**
 * A record's error for a target whose folders could not be flushed to disk (local and cloud runs alike): its writes
 * stand but may not survive a power cut.
 */
export const unflushedError = (source: string, message: string): RunError => ({ source, path: '', reason: `unflushed: ${message}` });

export function localShare(plan: Plan, r: RunResult | null): { counts: RunCounts; errors: RunError[] } {
  const skipped = r ? (r.skipped ?? []) : skippedOf(plan.refusals);
  const errors: RunError[] = [
    ...(r?.failures ?? []).map((f) => ({ ...targetOf(f.action), reason: `${f.code}: ${f.message}` })),
    ...skipped.map((s) => ({ ...(s.reason === 'permission' && s.detail ? { source: s.detail } : {}), path: s.path, reason: skippedReason(s) })),
    ...(r?.unrecorded ?? []).map((u) => ({ source: u.target, path: '', reason: `unrecorded: ${u.message}` })),
    ...(r?.unflushed ?? []).map((u) => unflushedError(u.target, u.message)),
  ];
  const counts: RunCounts = { planned: plan.actions.length, done: r?.done ?? 0, failed: r?.failures.length ?? 0, skipped: skipped.length, byAction: countByAction(plan.actions) };
  return { counts, errors };
}

/** A member of the cloud run as the page knows it. */
export interface CloudRunMember {
  id: string;
  letter: string;
  name: string;
}

export interface CloudRunInput {
  profile: string;
  /** The actions every member resolved from the leader's plan (null: refused by this member's checks), with targets. */
  actions: readonly (Action | null)[];
  targets: readonly string[];
  /** Every result received, by member id. */
  results: ReadonlyMap<string, RunResultMessage> | Record<string, RunResultMessage>;
  /** The members in the session when the sync started (a member without a result is `missing`). */
  members: readonly CloudRunMember[];
  /** The leader's plan refusals that are skipped items (only the leader has them; members pass []). */
  refusals?: readonly Refusal[];
  /** This page's sources the leader's Two-way left out as emptied (ResolvedPlan.emptied): skipped, once each. */
  emptied?: readonly string[];
  start: number;
  end: number;
  suffix: string;
}

/**
 * The record of a cloud run as one page saw it: every member's share (counts over the actions targeting its
 * sources), failures and skipped items listed with their paths, targets not flushed to disk, the members whose
 * result never came as missing.
 */
export function recordFromCloudRun(input: CloudRunInput): RunRecord {
  const results = input.results instanceof Map ? input.results : new Map(Object.entries(input.results));
  const where = (i: number): RunError => {
    const a = input.actions[i];
    return a ? targetOf(a) : { source: input.targets[i], path: `#${i + 1}`, reason: '' };
  };
  const errors: RunError[] = [];
  const perMember: RunMemberShare[] = [];
  const total: RunCounts = { planned: 0, done: 0, failed: 0, skipped: 0, byAction: countByAction(input.actions) };
  let bytes = 0;
  let stopped = false;
  const unflushed: string[] = [];
  const present: string[] = [];
  const missing: string[] = [];
  for (const m of input.members) {
    const mine = input.actions.flatMap((a, i) => ((input.targets[i] ?? a?.target ?? '').startsWith(m.letter) ? [a] : []));
    const res = results.get(m.id);
    const label = m.name || m.letter;
    if (!res) {
      missing.push(label);
      total.planned += mine.length;
      continue;
    }
    present.push(label);
    stopped ||= res.stopped === true;
    for (const f of res.failed) errors.push({ ...where(f.i), reason: `${f.code}: ${f.message}` });
    for (const i of res.skipped) {
      const target = input.targets[i] ?? '';
      const why = res.denied?.includes(target) ? 'permission' : res.stopped ? 'stopped' : 'not-run';
      errors.push({ ...where(i), reason: skippedReason({ reason: why, detail: why === 'permission' ? target : undefined }) });
    }
    // As in a local run's record: a target whose folders could not be flushed to disk (its writes may not survive a power cut).
    for (const u of res.unflushed ?? []) {
      errors.push(unflushedError(u.source, u.message));
      unflushed.push(u.source);
    }
    const counts: RunCounts = { planned: mine.length, done: res.done.length, failed: res.failed.length, skipped: res.skipped.length, byAction: countByAction(mine) };
    perMember.push({ letter: m.letter, name: m.name, counts, bytes: res.bytes });
    total.planned += counts.planned;
    total.done += counts.done;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
    bytes += res.bytes;
  }
  for (const s of skippedOf(input.refusals ?? [])) {
    errors.push({ ...(s.reason === 'permission' && s.detail ? { source: s.detail } : {}), path: s.path, reason: skippedReason(s) });
    total.skipped++;
  }
  // A member's page has no refusals: its own folder left out (a disk not mounted?) must not leave its record ok.
  const named = new Set((input.refusals ?? []).filter((r) => r.reason === 'emptied').map((r) => r.detail));
  for (const code of input.emptied ?? []) {
    if (named.has(code)) continue;
    errors.push({ source: code, path: '', reason: skippedReason({ reason: 'emptied', detail: code }) });
    total.skipped++;
  }
  const counted = missing.length > 0 && !stopped ? (total.done > 0 ? 'partial' : 'failed') : statusOf({ stopped, failedWhole: false, done: total.done, failed: total.failed, skipped: total.skipped });
  // Everything done but a target not flushed to disk: not `ok`, its writes may not survive a power cut.
  const status = counted === 'ok' && unflushed.length > 0 ? 'partial' : counted;
  const record: RunRecord = {
    id: runRecordId(input.start, input.suffix),
    profile: input.profile,
    kind: 'cloud',
    start: new Date(input.start).toISOString(),
    end: new Date(input.end).toISOString(),
    durationMs: Math.max(0, input.end - input.start),
    status,
    present,
    missing,
    counts: total,
    perMember,
    bytes,
    errors,
  };
  if (missing.length > 0) record.message = `no result from ${missing.join(', ')}`;
  else if (stopped) record.message = 'stopped by the leader';
  else if (unflushed.length > 0) record.message = `not flushed to disk: ${unflushed.join(', ')}`;
  return record;
}
