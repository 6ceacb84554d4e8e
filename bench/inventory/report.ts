/** The result table, the machine description, and the "## Inventory" section of bench/README.md (only that section). */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { totalmem } from 'node:os';

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

function sh(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

export function machine(chromiumVersion: string, opensslVersion: string): string[] {
  const cpu = /model name\s*:\s*(.*)/.exec(sh('cat', ['/proc/cpuinfo']))?.[1] ?? '?';
  return [
    `- \`uname -a\`: ${sh('uname', ['-a'])}`,
    `- CPU: ${cpu}, \`nproc\` = ${sh('nproc', [])}; memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Chromium ${chromiumVersion} (Debian, \`/usr/bin/chromium\`, headless), Node ${process.version}, ${opensslVersion}`,
  ];
}

/** Replaces (or appends) the "## Inventory" section of the README, re-reading the file right before writing. */
export async function writeSection(readmePath: string, body: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(readmePath, 'utf8');
  } catch {
    text = '# Benchmarks\n\nRun on demand, never part of `npm test`.\n';
  }
  const section = `## Inventory\n\n${body.trim()}\n`;
  const start = text.search(/^## Inventory\s*$/m);
  if (start < 0) {
    text = `${text.trimEnd()}\n\n${section}`;
  } else {
    const rest = text.slice(start + 1);
    const next = rest.search(/^## /m);
    const end = next < 0 ? text.length : start + 1 + next;
    text = `${text.slice(0, start)}${section}${next < 0 ? '' : `\n${text.slice(end)}`}`;
  }
  await writeFile(readmePath, text.endsWith('\n') ? text : `${text}\n`);
}
