/** The transfer table and its units. */

export interface Row {
  what: string;
  bytes: number;
  /** Files, or null where it means nothing (a raw byte stream). */
  files: number | null;
  /** Seconds, or why it was not measured. */
  result: number | string;
  /** Ratio text for the last column ('' for none). */
  ratio: string;
}

const size = (bytes: number) => (bytes >= 1000 * 2 ** 20 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
export const mbps = (bytes: number, seconds: number) => bytes / 1e6 / seconds;

/** A Markdown table, one line per measure; MB = 10⁶ bytes. */
export function table(rows: Row[]): string {
  const lines = ['| Measure | Size | Files | Time | Rate | Ratio |', '|---|---:|---:|---:|---:|---:|'];
  for (const r of rows) {
    const measured = typeof r.result === 'number';
    const time = measured ? `${(r.result as number).toFixed(2)} s` : `not measured: ${r.result}`;
    const rate = measured ? `${mbps(r.bytes, r.result as number).toFixed(1)} MB/s` : '—';
    lines.push(`| ${r.what} | ${size(r.bytes)} | ${r.files === null ? '—' : r.files.toLocaleString('en-US')} | ${time} | ${rate} | ${r.ratio || '—'} |`);
  }
  return lines.join('\n');
}
