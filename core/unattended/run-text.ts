/**
 * A run record as words and as CSV: the e-mail notice's subject and plain-text body, and the export's CSV (RFC 4180),
 * shared by the CLI (`quintet report --csv`, e-mail) and the page (export, notification).
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

/** The CSV columns, one row per run. */
export const CSV_COLUMNS = ['id', 'profile', 'kind', 'start', 'end', 'durationMs', 'status', 'planned', 'done', 'failed', 'skipped', 'bytes', 'present', 'missing', 'errors', 'message'] as const;

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row, then one row per run; lines end with CRLF as RFC 4180 says. Lists are joined with "; ". */
export function runsCsv(records: readonly RunRecord[]): string {
  const row = (r: RunRecord): (string | number)[] => [
    r.id, r.profile, r.kind, r.start, r.end, r.durationMs, r.status, r.counts.planned, r.counts.done, r.counts.failed, r.counts.skipped, r.bytes,
    r.present.join('; '), r.missing.join('; '), r.errors.map((e) => `${e.source ? `${e.source} ` : ''}${e.path}: ${e.reason}`).join('; '), r.message ?? '',
  ];
  return [CSV_COLUMNS as readonly string[], ...records.map(row)].map((fields) => `${fields.map(csvField).join(',')}\r\n`).join('');
}
