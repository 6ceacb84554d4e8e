/**
 * Files a writer left staged in a folder's `.quintet/tmp/` (a tab closed or reloaded mid-run, a process killed): found
 * so the page can say so at the inventory, and removed on the user's word. Retention removes them too, once untouched
 * for a day (retention-run.ts `cleanUpStaging`); nothing here ever touches a path outside `.quintet/tmp/`.
 */
import type { DirSink } from '../ports.ts';
import { OWN_FOLDER } from '../own-folder.ts';

/** Where writers stage half-written files (both adapters: adapters/node/staged-file.ts, adapters/browser/staged-writer.ts). */
export const STAGING_DIR = `${OWN_FOLDER}/tmp`;

/**
 * A part for staged names of Quintet's own, from what the staged file will hold (16 hex digits, two FNV-1a lanes): two
 * processes writing in the same second (same run id) get names apart unless they write the very same thing, where
 * one's file in place of the other's changes nothing. Only names apart, nothing to guess: no randomness needed.
 */
export function stagingTag(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** One staged file as found: its name in STAGING_DIR, its size and time then. */
export interface StagedFile {
  name: string;
  size: number;
  mtime: number;
}

/** What a folder's `.quintet/tmp/` holds: its files and their bytes. */
export interface StagedLeftovers {
  files: StagedFile[];
  bytes: number;
}

/** The files directly in `.quintet/tmp/` (none when it is missing or unreadable); folders there are not a writer's. */
export async function findStaged(sink: DirSink): Promise<StagedLeftovers> {
  const files: StagedFile[] = [];
  const entries = await sink.list(STAGING_DIR).catch(() => []);
  for (const entry of entries) {
    if (entry.kind !== 'file' || entry.name.includes('/') || entry.name === '..' || entry.name === '.') continue;
    try {
      const stat = await sink.stat(`${STAGING_DIR}/${entry.name}`);
      files.push({ name: entry.name, size: stat.size, mtime: stat.mtime });
    } catch {
      // gone meanwhile (its writer committed it): not a leftover
    }
  }
  return { files, bytes: files.reduce((sum, f) => sum + f.size, 0) };
}

/**
 * Removes the staged files `found` listed, each only while it still has the size and time it was found with: a file a
 * live writer (another tab on the same folder) still writes has changed and stays. Returns what is left there.
 */
export async function removeStaged(sink: DirSink, found: StagedLeftovers): Promise<StagedLeftovers> {
  for (const file of found.files) {
    const path = `${STAGING_DIR}/${file.name}`;
    try {
      const now = await sink.stat(path);
      if (now.size === file.size && now.mtime === file.mtime) await sink.remove(path, { recursive: false });
    } catch {
      // gone meanwhile, or not removable now: the next look counts it again
    }
  }
  return findStaged(sink);
}
