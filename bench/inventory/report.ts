/** The inventory result table. */

export interface Row {
  set: string;
  files: number;
  bytes: number;
  opensslSeconds: number | null;
  appSeconds: number;
  unit: 'MB/s' | 'files/s';
}

const rate = (row: Row, seconds: number) => (row.unit === 'MB/s' ? row.bytes / 1e6 / seconds : row.files / seconds);
const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));

/** A Markdown table: one line per measured set. */
export function table(rows: Row[], workers: number): string {
  const lines = [
    `| Set | Files | Size | openssl, 1 core | App in Chromium (${workers} hash workers) | App / openssl |`,
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const app = rate(row, row.appSeconds);
    const base = row.opensslSeconds === null ? null : rate(row, row.opensslSeconds);
    const size = row.bytes >= 1 << 30 ? `${(row.bytes / 2 ** 30).toFixed(2)} GiB` : `${(row.bytes / 2 ** 20).toFixed(1)} MiB`;
    lines.push(
      `| ${row.set} | ${row.files.toLocaleString('en-US')} | ${size} | ${base === null ? '—' : `${fmt(base)} ${row.unit} (${row.opensslSeconds!.toFixed(2)} s)`} | ${fmt(app)} ${row.unit} (${row.appSeconds.toFixed(2)} s) | ${base === null ? '—' : `${(app / base).toFixed(2)}×`} |`,
    );
  }
  return lines.join('\n');
}
