/** What an inventory never lists: Quintet's own folder, browser swap files and OS noise. Issue 3 adds user patterns. */
import type { EntryKind } from '../ports.ts';

/** One built-in exclusion and why it exists. */
interface Exclusion {
  /** Matches the entry's own name. */
  test: (name: string, kind: EntryKind) => boolean;
  /** Only at the source root. */
  rootOnly?: boolean;
}

const named = (...names: string[]) => {
  const set = new Set(names);
  return (name: string) => set.has(name);
};

/** The built-in table. Order does not matter; each row says why it is here. */
const EXCLUSIONS: readonly Exclusion[] = [
  // Quintet's own folder (versions of everything a sync replaced): syncing it would copy history around.
  { test: named('.quintet'), rootOnly: true },
  // Chrome's createWritable() swap files: a half-written file of another run, never user data.
  { test: (name) => name.endsWith('.crswap') },
  // macOS Finder metadata, Spotlight index, trash and FSEvents log.
  { test: named('.DS_Store', '.Spotlight-V100', '.Trashes', '.fseventsd') },
  // Windows thumbnail caches, folder settings, recycle bin and restore points.
  { test: named('Thumbs.db', 'ehthumbs.db', 'desktop.ini', '$RECYCLE.BIN', 'System Volume Information') },
  // Microsoft Office owner files of open documents (~$report.docx).
  { test: (name, kind) => kind === 'file' && name.startsWith('~$') },
  // LibreOffice lock files (.~lock.report.odt#).
  { test: (name, kind) => kind === 'file' && name.startsWith('.~lock.') && name.endsWith('#') },
];

/**
 * Whether an entry is left out of the inventory. `atRoot` is true for direct children of a
 * directory source's root (only there is `.quintet` Quintet's own).
 */
export function isExcluded(name: string, kind: EntryKind, atRoot: boolean): boolean {
  return EXCLUSIONS.some((e) => (!e.rootOnly || atRoot) && e.test(name, kind));
}
