/** Quintet's own folder (`.quintet/`) under every spelling a file system may take for it: what no peer path may name. */
import { isValidPath } from './paths.ts';

/** The folder at the root of every directory source where Quintet keeps versions and staged bytes. */
export const OWN_FOLDER = '.quintet';

/** Longest relative path a peer may name (Linux PATH_MAX; the plan's own strings have the same cap). */
export const MAX_PEER_PATH = 4096;

/**
 * The spelling a file system might reduce `name` to when it looks it up. Deliberately broader than any one file system
 * so that no lookup anywhere can land on Quintet's folder:
 * - NFKD, then combining marks and default-ignorable code points removed: APFS and HFS+ match names across Unicode
 *   normalization, and HFS+ skips ignorable code points (zero-width joiners …) when it compares names;
 * - upper then lower case: NTFS folds with an upper-case table (`ı`, `İ` reach `I`), APFS/HFS+ with a lower-case one;
 * - from a `:` on, an NTFS stream name (`.quintet::$INDEX_ALLOCATION` opens the folder itself);
 * - trailing dots and spaces, which Win32 strips (`.quintet. ` is `.quintet`).
 * Names are never stored folded: this only decides what is refused.
 */
export function foldName(name: string): string {
  // Printable ASCII has no compatibility forms, marks or ignorable code points, and folds the same both ways: skip the slow part.
  const folded = /^[ -~]*$/.test(name)
    ? name.toLowerCase()
    : name.normalize('NFKD').replace(/[\p{M}\p{Default_Ignorable_Code_Point}]/gu, '').toUpperCase().toLowerCase();
  let end = folded.indexOf(':');
  if (end < 0) end = folded.length;
  // A loop, not /[. ]+$/: that regex backtracks quadratically on a long run of dots followed by a letter.
  while (end > 0 && (folded[end - 1] === '.' || folded[end - 1] === ' ')) end--;
  return folded.slice(0, end);
}

/**
 * Whether a path segment may be Quintet's own folder on some file system: `.quintet` under `foldName`, or its
 * Windows 8.3 short name `QUINTE~<n>` (NTFS volumes with short names open the long-named folder by it).
 */
export function namesOwnFolder(name: string): boolean {
  const folded = foldName(name);
  return folded === OWN_FOLDER || /^quinte~[0-9]+$/.test(folded);
}

/** Whether any segment of a relative path names Quintet's own folder (see `namesOwnFolder`). */
export function touchesOwnFolder(path: string): boolean {
  // Most paths: printable ASCII without `quinte` in any case cannot fold to either name; one scan instead of one fold per segment.
  if (/^[ -~]*$/.test(path) && !/quinte/i.test(path)) return false;
  return path.split('/').some(namesOwnFolder);
}

/**
 * The one check of a path a peer sends (an inventory item, a plan action, a block request): a valid, non-root path of at
 * most MAX_PEER_PATH code units, none of whose segments can reach Quintet's own folder, at the root or below it (a
 * nested source keeps its own `.quintet/` there). The walk excludes the same names (inventory/exclusions.ts), so an
 * honest member never sends a path this refuses.
 */
export function isPeerPath(path: string): boolean {
  return path !== '' && path.length <= MAX_PEER_PATH && isValidPath(path) && !touchesOwnFolder(path);
}
