/** `quintet report`: the recorded runs, newest first, as a table, JSON or CSV; or one run with every error. */
import { parseArgs } from 'node:util';
import type { RunRecord } from '../core/unattended/run-record.ts';
import { runsToCsv } from '../core/unattended/run-export.ts';
import { FileRunHistory, quintetHome } from '../adapters/node/run-history.ts';
import { EXIT, UsageError, type ExitCode } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { formatBytes, formatDuration } from './format.ts';
import { helpText, msg } from './i18n.ts';

export const REPORT_HELP = `Usage: quintet report [<run-id>] [--last N] [--json | --csv]

Lists the runs recorded by quintet run in $QUINTET_HOME/runs/, newest first, or shows one run with every item
that failed or was skipped and why.

Options:
  --last N   only the N newest runs
  --json     a JSON array of run records (one record with <run-id>)
  --csv      CSV (RFC 4180) with a header row, one row per run
  -h, --help this help`;

interface ReportArgs {
  id?: string;
  last?: number;
  format: 'table' | 'json' | 'csv';
}

export function parseReportArgs(argv: string[]): ReportArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { last: { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length > 1) throw new UsageError(msg('runs.tooMany'));
  if (values.json && values.csv) throw new UsageError(msg('runs.jsonOrCsv'));
  let last: number | undefined;
  if (values.last !== undefined) {
    if (!/^[1-9]\d*$/.test(values.last)) throw new UsageError(msg('runs.lastNumber', { value: values.last }));
    last = Number(values.last);
  }
  if (positionals.length === 1 && last !== undefined) throw new UsageError(msg('runs.lastWithId'));
  return { id: positionals[0], last, format: values.json ? 'json' : values.csv ? 'csv' : 'table' };
}

const local = (iso: string) => {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
};

/** Columns padded to their widest cell. */
function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

export function runTableLines(records: readonly RunRecord[]): string[] {
  return table([
    msg('runs.columns').split('|'),
    ...records.map((r) => [local(r.start), r.status, r.profile, String(r.counts.done), String(r.counts.failed), String(r.counts.skipped), formatBytes(r.bytes), formatDuration(r.durationMs), r.id]),
  ]);
}

export function runDetailLines(r: RunRecord): string[] {
  const c = r.counts;
  const byAction = Object.keys(c.byAction).length > 0 ? ` (${Object.entries(c.byAction).map(([k, n]) => `${k} ${n}`).join(', ')})` : '';
  const lines = [
    msg('runs.run', { id: r.id }),
    msg('runs.profile', { profile: r.profile, kind: r.kind }),
    r.message ? msg('runs.statusMessage', { status: r.status, message: r.message }) : msg('runs.status', { status: r.status }),
    msg('runs.start', { local: local(r.start), iso: r.start }),
    msg('runs.end', { local: local(r.end), iso: r.end, duration: formatDuration(r.durationMs) }),
    msg('runs.actions', { planned: c.planned, byAction, done: c.done, failed: c.failed, skipped: c.skipped }),
    msg('runs.written', { bytes: formatBytes(r.bytes) }),
  ];
  if (r.kind === 'cloud') lines.push(msg('runs.present', { who: r.present.join(', ') || msg('runs.nobody') }), msg('runs.missing', { who: r.missing.join(', ') || msg('runs.nobody') }));
  for (const m of r.perMember) lines.push(msg('runs.member', { letter: m.letter, name: m.name, done: m.counts.done, failed: m.counts.failed, skipped: m.counts.skipped, bytes: formatBytes(m.bytes) }));
  if (r.errors.length > 0) {
    lines.push(msg('runs.notSynchronized', { count: r.errors.length }));
    for (const e of r.errors) lines.push(`  ${e.source ? `${e.source} ` : ''}${e.path || msg('format.root')} — ${e.reason}`);
  }
  return lines;
}

export async function runReport(argv: string[], io: CliIo): Promise<ExitCode> {
  const args = parseReportArgs(argv);
  if (args === 'help') {
    io.out(await helpText('report', REPORT_HELP));
    return EXIT.done;
  }
  const history = new FileRunHistory(quintetHome(io.env));
  if (args.id !== undefined) {
    const record = await history.get(args.id);
    if (!record) throw new UsageError(msg('runs.noRun', { id: args.id, dir: history.dir }));
    if (args.format === 'json') io.out(JSON.stringify(record, null, 2));
    else if (args.format === 'csv') io.out(runsToCsv([record]).slice(0, -1)); // io.out ends the last CRLF
    else for (const line of runDetailLines(record)) io.out(line);
    return EXIT.done;
  }
  const records = await history.list(args.last);
  for (const file of history.unreadable) io.err(msg('runs.unreadable', { file }));
  if (args.format === 'json') io.out(JSON.stringify(records, null, 2));
  else if (args.format === 'csv') io.out(runsToCsv(records).slice(0, -1)); // io.out ends the last CRLF
  else if (records.length === 0) io.out(msg('runs.none', { dir: history.dir }));
  else for (const line of runTableLines(records)) io.out(line);
  return EXIT.done;
}
