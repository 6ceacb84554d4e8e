/** The lines `quintet local` prints: sources, inventories, comparison, plan, result — what the page shows, as text. */
import type { Inventory, ItemError } from '../core/inventory/types.ts';
import type { Comparison } from '../core/compare/types.ts';
import type { Plan, Refusal } from '../core/plan/types.ts';
import type { RunResult } from '../core/transfer/types.ts';
import { SKIP_REASONS, writtenPath } from '../core/plan/skipped.ts';
import { fsErrorText } from './fs-error-text.ts';
import { ancestors } from '../core/paths.ts';
import type { RetentionReport } from '../core/versions/retention-run.ts';
import type { StagedLeftovers } from '../core/versions/staging.ts';
import { capped, formatBytes, formatDuration } from './format.ts';
import { msg } from './i18n.ts';

export function inventoryLines(inventories: readonly Inventory[]): string[] {
  return inventories.map((inv) => {
    const s = inv.stats;
    const params = { source: inv.source, files: s.files, directories: s.directories, bytes: formatBytes(s.bytes), hashed: s.hashedFiles, indexed: s.indexedFiles };
    return inv.errors.length > 0 ? msg('report.inventoryErrors', { ...params, errors: inv.errors.length }) : msg('report.inventory', params);
  });
}

/** One line per folder whose `.quintet/tmp/` holds files an interrupted writer left (the session's `leftovers`). */
export function leftoverLines(leftovers: Readonly<Record<string, StagedLeftovers>>): string[] {
  return Object.entries(leftovers).filter(([, l]) => l.files.length > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([source, l]) => msg('report.leftovers', { source, count: l.files.length, bytes: formatBytes(l.bytes) }));
}

export function comparisonLine(c: Comparison): string {
  const count = (status: string) => c.rows.filter((r) => r.status === status).length;
  return msg('report.comparison', { items: c.rows.length, identical: count('identical'), different: count('different'), missing: count('missing'), conflicts: count('conflict') });
}

/** The error that kept `path` of `source` from being read: its own, or that of a directory above it. */
function readErrorOf(inventories: readonly Inventory[], source: string, path: string): ItemError | undefined {
  const errors = inventories.find((i) => i.source === source)?.errors ?? [];
  const byPath = new Map(errors.map((e) => [e.path, e]));
  return byPath.get(path) ?? [...ancestors(path)].reverse().map((a) => byPath.get(a)).find((e) => e !== undefined);
}

/** Why a refusal left its item out, in words (with the platform's reason for an item it could not read). */
export function refusalReason(r: Refusal, inventories: readonly Inventory[]): string {
  if (r.reason === 'unreadable' && r.detail) {
    const e = readErrorOf(inventories, r.detail, r.path);
    return e ? fsErrorText(e.code, e.message) : msg('report.notRead');
  }
  if (r.detail === 'conflict-copy-refused') return msg('refusal.conflict-copy-refused');
  if (r.reason === 'emptied') return msg('refusal.emptied'); // its line names the source
  const worded = ['name-refused', 'permission', 'send-only', 'receive-only', 'local-change'] as const;
  const word = (worded as readonly string[]).includes(r.reason) ? msg(`refusal.${r.reason as (typeof worded)[number]}`) : r.reason;
  return `${word}${r.detail ? ` (${r.detail})` : ''}`;
}

/** One line per refusal: the path, the reason in words, and the platform's reason for an item it could not read. */
export function refusalLine(r: Refusal, inventories: readonly Inventory[]): string {
  if ((r.reason === 'unreadable' || r.reason === 'emptied') && r.detail) return `  ${r.detail} ${r.path || msg('format.root')} — ${refusalReason(r, inventories)}`;
  return `  ${r.path} — ${refusalReason(r, inventories)}`;
}

export function planLines(plan: Plan, label: string, inventories: readonly Inventory[]): string[] {
  const s = plan.summary;
  const lines = [msg('report.plan', { label, copies: s.copies, overwrites: s.overwrites, directories: s.directories, deletions: s.deletions, bytes: formatBytes(s.bytes) })];
  const skipped = plan.refusals.filter((r) => SKIP_REASONS.has(r.reason));
  if (skipped.length > 0) lines.push(msg('report.skipped', { count: skipped.length }), ...capped(skipped.map((r) => refusalLine(r, inventories))));
  const other = plan.refusals.filter((r) => !SKIP_REASONS.has(r.reason));
  if (other.length > 0) lines.push(msg('report.leftAlone', { count: other.length }), ...capped(other.map((r) => refusalLine(r, inventories))));
  if (plan.actions.length > 0) lines.push(msg('report.keptFirst'));
  return lines;
}

/** What the retention rules removed from a target's versions (core/versions/retention-run.ts says it in English for the page's log). */
function retentionLine(r: RetentionReport): string {
  if (r.error !== undefined) return msg('report.retentionError', { source: r.source, error: r.error });
  const line = msg(r.versions === 1 ? 'report.retentionOne' : 'report.retentionMany', { source: r.source, versions: r.versions, bytes: formatBytes(r.bytes) });
  return r.failed > 0 ? msg('report.retentionFailed', { line, failed: r.failed }) : line;
}

export function resultLines(result: RunResult, inventories: readonly Inventory[]): string[] {
  const skipped = result.skipped ?? [];
  const counts = { done: result.done, failed: result.failures.length, skipped: skipped.length, bytes: formatBytes(result.bytesWritten), duration: formatDuration(result.endedAt - result.startedAt) };
  const lines = [msg(result.cancelled ? 'report.stopped' : 'report.done', counts)];
  if (result.cancelled) lines.push(msg('report.stoppedClean'));
  if (result.failures.length > 0) {
    lines.push(msg('report.failed', { count: result.failures.length }), ...capped(result.failures.map((f) => `  ${f.action.target} ${writtenPath(f.action)} — ${f.code}: ${f.message}`)));
  }
  if (skipped.length > 0) lines.push(msg('report.skipped', { count: skipped.length }), ...capped(skipped.map((r) => refusalLine(r, inventories))));
  for (const u of result.unflushed ?? []) lines.push(msg('report.unflushed', { target: u.target, message: u.message }));
  for (const c of result.conflicts ?? []) {
    const losers = c.losers.map((l) => `${l.source} → ${l.path}`).join(', ');
    lines.push(c.winner ? msg('report.conflict', { path: c.path, winner: c.winner, losers }) : msg('report.conflictDirectory', { path: c.path, losers }));
  }
  for (const r of result.retention ?? []) lines.push(retentionLine(r));
  if (result.applied?.some((a) => a.type !== 'mkdir')) lines.push(msg('report.versions', { run: result.runId }));
  return lines;
}
