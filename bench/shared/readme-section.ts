/** Rewrites one `## name` section of bench/README.md, re-reading the file right before writing so other sections stay. */
import { readFile, writeFile } from 'node:fs/promises';

/** Replaces (or appends) the `## name` section with `body`. */
export async function writeSection(readmePath: string, name: string, body: string): Promise<void> {
  const text = await readFile(readmePath, 'utf8').catch(() => '# Benchmarks\n');
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
