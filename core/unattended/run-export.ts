/**
 * Exports run records as JSON (an array of RunRecord, the format `quintet report --json` prints) and CSV (one row per
 * run, the numbers a spreadsheet sums). Pure text out; the PWA and the CLI each save or print it their way.
 */
import type { RunRecord } from './run-record.ts';

/** The JSON export: the records as they are stored, newest first as given, indented for people. */
export function runsToJson(records: readonly RunRecord[]): string {
  return `${JSON.stringify(records, null, 2)}\n`;
}

/** The CSV columns, in order. `errors` is the number of listed items; `first_error` the first of them. */
export const CSV_COLUMNS = ['id', 'profile', 'kind', 'start', 'end', 'duration_ms', 'status', 'planned', 'done', 'failed', 'skipped', 'copy', 'mkdir', 'delete', 'bytes', 'present', 'missing', 'errors', 'first_error', 'message'] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. A field starting with
 * = + - @ gets a leading apostrophe, so a spreadsheet never runs a file name as a formula (CSV injection).
 */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function errorText(r: RunRecord): string {
  const e = r.errors[0];
  return e ? `${e.source ? `${e.source}/` : ''}${e.path}: ${e.reason}` : '';
}

/** The CSV export: a header row, then one row per run; CRLF line ends as RFC 4180 says. */
export function runsToCsv(records: readonly RunRecord[]): string {
  const rows = records.map((r) => [
    r.id, r.profile, r.kind, r.start, r.end, r.durationMs, r.status,
    r.counts.planned, r.counts.done, r.counts.failed, r.counts.skipped,
    r.counts.byAction.copy ?? 0, r.counts.byAction.mkdir ?? 0, r.counts.byAction.delete ?? 0,
    r.bytes, r.present.join('; '), r.missing.join('; '), r.errors.length, errorText(r), r.message ?? '',
  ]);
  return [CSV_COLUMNS as readonly (string | number)[], ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
