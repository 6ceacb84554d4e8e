/** The lines `quintet local` prints: sources, inventories, comparison, plan, result — what the page shows, as text. */
import type { Inventory, ItemError } from '../core/inventory/types.ts';
import type { Comparison } from '../core/compare/types.ts';
import type { Plan, Refusal } from '../core/plan/types.ts';
import type { RunResult } from '../core/transfer/types.ts';
import { SKIP_REASONS, writtenPath } from '../core/plan/skipped.ts';
import { ancestors } from '../core/paths.ts';
import { retentionLine } from '../core/versions/retention-run.ts';
import { capped, formatBytes, formatDuration } from './format.ts';

export function inventoryLines(inventories: readonly Inventory[]): string[] {
  return inventories.map((inv) => {
    const s = inv.stats;
    const errors = inv.errors.length > 0 ? `, ${inv.errors.length} not read` : '';
    return `${inv.source}: ${s.files} files, ${s.directories} directories, ${formatBytes(s.bytes)} (${s.hashedFiles} hashed, ${s.indexedFiles} from the index${errors})`;
  });
}

export function comparisonLine(c: Comparison): string {
  const count = (status: string) => c.rows.filter((r) => r.status === status).length;
  return `Comparison: ${c.rows.length} items — ${count('identical')} identical, ${count('different')} different, ${count('missing')} missing somewhere, ${count('conflict')} file/directory conflicts`;
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
    return e ? (e.message.startsWith(e.code) ? e.message : `${e.code}: ${e.message}`) : 'not read';
  }
  if (r.detail === 'conflict-copy-refused') return 'its conflict copy cannot be made here, so both versions stay as they are';
  const words: Partial<Record<Refusal['reason'], string>> = {
    'name-refused': 'a name the target cannot hold',
    permission: 'write permission refused',
    'send-only': 'its member is send only: never written',
    'receive-only': 'its member is receive only: its content does not spread',
    'local-change': 'a local change of a receive-only member: not carried over',
  };
  return `${words[r.reason] ?? r.reason}${r.detail ? ` (${r.detail})` : ''}`;
}

/** One line per refusal: the path, the reason in words, and the platform's reason for an item it could not read. */
export function refusalLine(r: Refusal, inventories: readonly Inventory[]): string {
  if (r.reason === 'unreadable' && r.detail) return `  ${r.detail} ${r.path || '(root)'} — ${refusalReason(r, inventories)}`;
  return `  ${r.path} — ${refusalReason(r, inventories)}`;
}

export function planLines(plan: Plan, label: string, inventories: readonly Inventory[]): string[] {
  const s = plan.summary;
  const lines = [`Plan (${label}): ${s.copies} copies (${s.overwrites} replacing an item), ${s.directories} directories, ${s.deletions} deletions, ${formatBytes(s.bytes)}`];
  const skipped = plan.refusals.filter((r) => SKIP_REASONS.has(r.reason));
  if (skipped.length > 0) lines.push(`Skipped (${skipped.length}):`, ...capped(skipped.map((r) => refusalLine(r, inventories))));
  const other = plan.refusals.filter((r) => !SKIP_REASONS.has(r.reason));
  if (other.length > 0) lines.push(`Left alone (${other.length}):`, ...capped(other.map((r) => refusalLine(r, inventories))));
  if (plan.actions.length > 0) lines.push('Whatever is replaced or deleted is kept first under .quintet/versions/<run>/ of its target.');
  return lines;
}

export function resultLines(result: RunResult, inventories: readonly Inventory[]): string[] {
  const skipped = result.skipped ?? [];
  const head = result.cancelled ? 'Stopped' : 'Done';
  const lines = [
    `${head}: ${result.done} done, ${result.failures.length} failed, ${skipped.length} skipped, ${formatBytes(result.bytesWritten)} written in ${formatDuration(result.endedAt - result.startedAt)}`,
  ];
  if (result.cancelled) lines.push('Every finished item stays; nothing was left half-written (staged files removed).');
  if (result.failures.length > 0) {
    lines.push(`Failed (${result.failures.length}):`, ...capped(result.failures.map((f) => `  ${f.action.target} ${writtenPath(f.action)} — ${f.code}: ${f.message}`)));
  }
  if (skipped.length > 0) lines.push(`Skipped (${skipped.length}):`, ...capped(skipped.map((r) => refusalLine(r, inventories))));
  for (const u of result.unflushed ?? []) lines.push(`Not flushed to disk (${u.target}): ${u.message}`);
  for (const c of result.conflicts ?? []) lines.push(`Conflict ${c.path}: ${c.winner || 'the directory'} kept; ${c.losers.map((l) => `${l.source} → ${l.path}`).join(', ')}`);
  for (const r of result.retention ?? []) lines.push(`Retention: ${retentionLine(r, formatBytes)}`);
  if (result.applied?.some((a) => a.type !== 'mkdir')) lines.push(`Previous versions: .quintet/versions/${result.runId}/ in each target.`);
  return lines;
}
