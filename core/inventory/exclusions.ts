/** What an inventory never lists (Quintet's own folder, swap files), and what settings leave out: OS noise, hidden names, user patterns. */
import ignore from 'ignore';
import type { EntryKind } from '../ports.ts';
import type { SessionSettings } from '../settings/settings.ts';
import { namesOwnFolder } from '../own-folder.ts';

/** One built-in exclusion and why it exists. */
interface Exclusion {
  /** Matches the entry's own name. */
  test: (name: string, kind: EntryKind) => boolean;
  /** Only at the source root. */
  rootOnly?: boolean;
  /** Part of "Exclude system files" (a setting); the others always apply. */
  system?: boolean;
}

const named = (...names: string[]) => {
  const set = new Set(names);
  return (name: string) => set.has(name);
};

/** The built-in table. Order does not matter; each row says why it is here. */
const EXCLUSIONS: readonly Exclusion[] = [
  // Quintet's own folder (versions of everything a sync replaced): syncing it would copy history around. At any depth (a
  // nested source keeps its own) and under any spelling a file system may fold to it: the very names peers may not send.
  { test: namesOwnFolder },
  // Chrome's createWritable() swap files: a half-written file of another run, never user data.
  { test: (name) => name.endsWith('.crswap') },
  // macOS Finder metadata, Spotlight index, trash and FSEvents log.
  { test: named('.DS_Store', '.Spotlight-V100', '.Trashes', '.fseventsd'), system: true },
  // Windows thumbnail caches, folder settings, recycle bin and restore points.
  { test: named('Thumbs.db', 'ehthumbs.db', 'desktop.ini', '$RECYCLE.BIN', 'System Volume Information'), system: true },
  // Microsoft Office owner files of open documents (~$report.docx).
  { test: (name, kind) => kind === 'file' && name.startsWith('~$'), system: true },
  // LibreOffice lock files (.~lock.report.odt#).
  { test: (name, kind) => kind === 'file' && name.startsWith('.~lock.') && name.endsWith('#'), system: true },
];

/**
 * Whether an entry is left out by the built-in table with "Exclude system files" on (the
 * default). `atRoot` is true for direct children of a directory source's root.
 */
export function isExcluded(name: string, kind: EntryKind, atRoot: boolean, system = true): boolean {
  return EXCLUSIONS.some((e) => (!e.rootOnly || atRoot) && (system || !e.system) && e.test(name, kind));
}

/** Decides whether the walk skips an entry (a skipped directory is not entered). */
export type Excluder = (path: string, name: string, kind: EntryKind) => boolean;

/** The parts of the settings that exclude items. */
export type ExclusionSettings = Pick<SessionSettings, 'excludeHidden' | 'excludeSystem' | 'exclusionPatterns' | 'caseSensitive'>;

/**
 * Builds the excluder of a set of settings. Patterns follow gitignore (matched with the
 * `ignore` package, checked against `git check-ignore` in exclusions.git.test.ts): a pattern
 * with a slash is anchored at the source root, `dir/` matches directories only, `!` re-includes
 * (but, as in git, nothing inside an excluded directory, which is never entered). Case folding
 * follows "Case sensitive". Hidden = a name starting with '.': the Windows hidden attribute is
 * not visible through the File System Access API.
 */
export function createExcluder(settings: ExclusionSettings): Excluder {
  const lines = settings.exclusionPatterns.filter((p) => p.trim() !== '');
  const ig = lines.length > 0 ? ignore({ ignorecase: !settings.caseSensitive }).add(lines) : null;
  return (path, name, kind) => {
    const atRoot = !path.includes('/');
    if (isExcluded(name, kind, atRoot, settings.excludeSystem)) return true;
    if (settings.excludeHidden && name.startsWith('.')) return true;
    // `ignore` tells a directory by its trailing slash, as gitignore's `dir/` patterns need.
    return ig !== null && ig.ignores(kind === 'directory' ? `${path}/` : path);
  };
}
