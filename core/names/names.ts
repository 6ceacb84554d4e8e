/** Names a target cannot hold: case twins on case-insensitive targets, Windows reserved names and characters, over-long names and paths. */
import { baseName } from '../paths.ts';

/** What a target's file system is known (or assumed) to refuse. */
export interface TargetTraits {
  /** Names differing only by case are one entry (Windows, macOS by default). */
  caseInsensitive: boolean;
  /** Windows rules: reserved device names, `<>:"|?*`, control characters, trailing dot or space, MAX_PATH. */
  windows: boolean;
}

/** Why a name is refused; the UI translates each. */
export type NameProblem = 'case-collision' | 'windows-reserved' | 'windows-character' | 'trailing-dot-space' | 'name-too-long' | 'path-too-long';

/** Longest name most file systems hold (NTFS, ext4, APFS: 255; counted in UTF-16 code units, NTFS's unit). */
export const MAX_NAME = 255;
/**
 * Longest relative path kept on Windows: MAX_PATH is 260 for the full path, and the browser
 * cannot tell where the folder itself sits, so 200 leaves room for a 60-character folder path.
 */
export const MAX_WINDOWS_PATH = 200;

// CON, PRN, AUX, NUL, COM1–9, LPT1–9 (and the superscript digits Windows also reserves), with or without extension.
const RESERVED = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\..*)?$/i;
// eslint-disable-next-line no-control-regex -- control characters are exactly what Windows refuses
const WINDOWS_CHARS = /[<>:"|?*\u0000-\u001f]/;

/** The first problem of one name (a path segment) on such a target, or null. */
export function nameProblem(name: string, traits: TargetTraits): NameProblem | null {
  if (name.length > MAX_NAME) return 'name-too-long';
  if (!traits.windows) return null;
  if (RESERVED.test(name)) return 'windows-reserved';
  if (WINDOWS_CHARS.test(name)) return 'windows-character';
  if (/[. ]$/.test(name)) return 'trailing-dot-space';
  return null;
}

/** The first problem of a relative path on such a target (its own name, then its length), or null. */
export function pathProblem(path: string, traits: TargetTraits): NameProblem | null {
  return nameProblem(baseName(path), traits) ?? (traits.windows && path.length > MAX_WINDOWS_PATH ? 'path-too-long' : null);
}

/**
 * Finds names that differ only by case within one directory of a case-insensitive target:
 * `existing` (what stays there) and `created` (what a plan adds). Returns each created path
 * that would collide with another name, with the name it meets; created twins both collide.
 * Unicode is not normalized (NFC and NFD stay apart, as core/paths.ts keeps them); case is
 * folded with `toLowerCase`, close to what NTFS and APFS do.
 */
export function caseCollisions(existing: Iterable<string>, created: readonly string[]): Map<string, string> {
  const seen = new Map<string, string>();
  for (const p of existing) seen.set(p.toLowerCase(), p);
  const out = new Map<string, string>();
  const made = new Map<string, string>();
  for (const p of created) {
    const k = p.toLowerCase();
    const other = seen.get(k) ?? made.get(k);
    if (other !== undefined && other !== p) {
      out.set(p, other);
      if (made.has(k)) out.set(other, p);
    } else made.set(k, p);
  }
  return out;
}
