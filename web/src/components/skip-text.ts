/** Words for skipped items and for a run's heading, shared by the comparison, the local result and the cloud result. */
import { t } from '../i18n/i18n.svelte.ts';
import type { Comparison } from '../../../core/compare/types.ts';
import type { Plan, Refusal } from '../../../core/plan/types.ts';
import { skippedOf } from '../../../core/plan/skipped.ts';

/** Why an item is skipped, in the reader's language: "unreadable on A1", "no permission to write on A2" … */
export function skipReason(r: Refusal): string {
  if (r.reason === 'name-refused') return t('skip.name-refused', { problem: t(`name.${r.detail ?? 'parent-refused'}` as 'name.parent-refused') });
  if (r.reason === 'emptied') return t('skip.emptied', { source: r.detail ?? '' });
  if (r.reason === 'permission') return t('skip.permission', { source: r.detail ?? '' });
  if (r.reason === 'send-only' || r.reason === 'receive-only' || r.reason === 'local-change') return t(`skip.${r.reason}`, { source: r.detail ?? '' });
  if (r.path === '' && r.detail) return t('skip.unreadable.root', { source: r.detail }); // the whole source
  return t('skip.unreadable', { source: r.detail ?? '' });
}

/** The status text of each skipped row ("Skipped: …"), by row path: unreadable rows before any plan, the plan's and the run's skips. */
export function skippedRows(comparison: Comparison, plan: Plan | null, ran: readonly Refusal[] = []): Map<string, string> {
  const reasons = new Map<string, string[]>();
  const add = (path: string, text: string) => {
    const list = reasons.get(path) ?? [];
    if (!list.includes(text)) list.push(text);
    reasons.set(path, list);
  };
  for (const row of comparison.rows) for (const code of row.unreadable ?? []) add(row.path, t('skip.unreadable', { source: code }));
  // `ran`: what the last run skipped beyond its plan (a target whose write permission was refused at its start).
  for (const r of skippedOf([...(plan?.refusals ?? []), ...ran])) add(r.path, skipReason(r));
  return new Map([...reasons].map(([path, list]) => [path, t('skip.status', { reason: list.join(', ') })]));
}

/** A finished run's heading: never plain "complete" while something failed or was skipped. */
export function runHeadline(errors: number, skipped: number): string {
  if (errors > 0 && skipped > 0) return t('sync.finishedWithErrorsAndSkipped', { count: errors, skipped });
  if (skipped > 0) return t('sync.finishedWithSkipped', { skipped });
  if (errors > 0) return t('sync.completeWithErrors', { count: errors });
  return t('sync.complete');
}
