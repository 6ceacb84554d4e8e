/** Rewrites one `## name` section of bench/README.md, re-reading the file right before writing so other sections stay. */
import { readFile, writeFile } from 'node:fs/promises';

/**
 * Where a section's notes written by hand begin (history of what changed a figure, profiles, findings): a measuring run
 * rewrites the section above this line and keeps everything from it to the section's end.
 */
export const KEPT_NOTES = '<!-- Notes by hand: a new measuring run rewrites the section above this line and keeps what follows. -->';

/** Replaces (or appends) the `## name` section with `body`, keeping its notes by hand (KEPT_NOTES) if it has any. */
export function replaceSection(text: string, name: string, body: string): string {
  const start = text.search(new RegExp(`^## ${name}\\s*$`, 'm'));
  const fresh = `## ${name}\n\n${body.trim()}\n`;
  if (start < 0) return `${text.trimEnd()}\n\n${fresh}`;
  const next = text.slice(start + 1).search(/^## /m);
  const end = next < 0 ? text.length : start + 1 + next;
  const old = text.slice(start, end);
  const kept = old.indexOf(KEPT_NOTES);
  const section = kept < 0 ? fresh : `${fresh}\n${old.slice(kept).trimEnd()}\n`;
  return next < 0 ? `${text.slice(0, start)}${section}` : `${text.slice(0, start)}${section}\n${text.slice(end)}`;
}

export async function writeSection(readmePath: string, name: string, body: string): Promise<void> {
  const text = await readFile(readmePath, 'utf8').catch(() => '# Benchmarks\n');
  const out = replaceSection(text, name, body);
  await writeFile(readmePath, out.endsWith('\n') ? out : `${out}\n`);
}
