/**
 * A run record as words: the e-mail notice's subject and plain-text body,
 * shared by the CLI (e-mail) and the page (notification); CSV and JSON exports are run-export.ts.
 */
import type { RunRecord } from './run-record.ts';

/** "Quintet: nightly partial". */
export function noticeSubject(record: RunRecord): string {
  return `Quintet: ${record.profile} ${record.status}`;
}

/** The e-mail body: what ran, when, what it did, who was missing, and every item left out with its reason. */
export function noticeText(record: RunRecord): string {
  const c = record.counts;
  const byAction = Object.entries(c.byAction).map(([kind, n]) => `${kind} ${n}`).join(', ');
  const lines = [
    `Profile: ${record.profile} (${record.kind})`,
    `Run: ${record.id}`,
    `Status: ${record.status}`,
    `Start: ${record.start}`,
    `End: ${record.end} (${Math.round(record.durationMs / 1000)} s)`,
    `Actions: ${c.planned} planned${byAction ? ` (${byAction})` : ''}, ${c.done} done, ${c.failed} failed, ${c.skipped} skipped`,
    `Bytes written: ${record.bytes}`,
  ];
  if (record.present.length > 0) lines.push(`Members present: ${record.present.join(', ')}`);
  if (record.missing.length > 0) lines.push(`Members missing: ${record.missing.join(', ')}`);
  for (const m of record.perMember) lines.push(`  ${m.letter} ${m.name}: ${m.counts.done} done, ${m.counts.failed} failed, ${m.counts.skipped} skipped, ${m.bytes} bytes`);
  if (record.message) lines.push(`Note: ${record.message}`);
  if (record.errors.length > 0) {
    lines.push('', `Not synchronized (${record.errors.length}):`);
    for (const e of record.errors) lines.push(`  ${e.source ? `${e.source} ` : ''}${e.path || '(root)'}: ${e.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
