/** The machine lines every benchmark section starts with: kernel, CPU, cores, memory, load, and the tools measured. */
import { execFileSync } from 'node:child_process';
import { loadavg, totalmem } from 'node:os';

function sh(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

/** Markdown list lines; `tools` names what ran beside Node (e.g. "Chromium 156 (Debian, headless), OpenSSL 3.0"). */
export function machineLines(tools: string): string[] {
  const cpu = /model name\s*:\s*(.*)/.exec(sh('cat', ['/proc/cpuinfo']))?.[1] ?? '?';
  return [
    `- \`uname -a\`: ${sh('uname', ['-a'])}`,
    `- CPU: ${cpu}, \`nproc\` = ${sh('nproc', [])}; memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(', ')} (the cores are shared with other work)`,
    `- Node ${process.version}, ${tools}`,
  ];
}
