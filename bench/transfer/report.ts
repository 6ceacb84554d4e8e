/** The transfer table, the machine lines, and the "## Transfer" section of bench/README.md (only that section). */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg, totalmem } from 'node:os';

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

function sh(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

export function machine(chromium: string, syncthing: string): string[] {
  const cpu = /model name\s*:\s*(.*)/.exec(sh('cat', ['/proc/cpuinfo']))?.[1] ?? '?';
  return [
    `- \`uname -a\`: ${sh('uname', ['-a'])}`,
    `- CPU: ${cpu}, \`nproc\` = ${sh('nproc', [])}; memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(', ')} (the cores are shared with other work)`,
    `- Chromium ${chromium} (Debian, \`/usr/bin/chromium\`, headless), Node ${process.version}, ${syncthing} (Debian package)`,
  ];
}

/** Replaces (or appends) the `## name` section of the README, re-reading the file right before writing. */
export async function writeSection(readmePath: string, name: string, body: string): Promise<void> {
  const text = await readFile(readmePath, 'utf8');
  const section = `## ${name}\n\n${body.trim()}\n`;
  const start = text.search(new RegExp(`^## ${name}\\s*$`, 'm'));
  let out: string;
  if (start < 0) out = `${text.trimEnd()}\n\n${section}`;
  else {
    const next = text.slice(start + 1).search(/^## /m);
    out = next < 0 ? `${text.slice(0, start)}${section}` : `${text.slice(0, start)}${section}\n${text.slice(start + 1 + next)}`;
  }
  await writeFile(readmePath, out.endsWith('\n') ? out : `${out}\n`);
}
