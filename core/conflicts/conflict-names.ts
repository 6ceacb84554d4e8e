/** Reads a conflict copy's name back (core/plan/conflict-name.ts writes it): the original's path, who lost, when. */
import { baseName, joinPath, parentPath } from '../paths.ts';
import { timeOfRunId } from '../versions/catalogue.ts';

/** What a conflict copy's name says. */
export interface ConflictName {
  /** The path of the item it was a conflict with (the copy's sibling). */
  original: string;
  /** The source whose version lost (A1, B2 …): its first letter is the member. */
  source: string;
  /** The plan's time (`yyyymmdd-hhmmss`, local) and its `-n` when the name was taken. */
  stamp: string;
  n: number;
  /** The stamp as ms (local time), 0 if it is not a date. */
  madeAt: number;
}

// stem . conflict-<code>-<yyyymmdd-hhmmss> [-n] [ext]: the extension has no dot of its own (the last dot of the name).
const PATTERN = /^(.+)\.conflict-([A-E][1-9][0-9]?)-([0-9]{8}-[0-9]{6})(?:-([0-9]+))?(\.[^.]*)?$/;

/** The parts of a conflict copy's path, or null when its name is not one. */
export function parseConflictPath(path: string): ConflictName | null {
  const m = PATTERN.exec(baseName(path));
  if (!m) return null;
  const [, stem = '', source = '', stamp = '', n, ext = ''] = m;
  return { original: joinPath(parentPath(path), `${stem}${ext}`), source, stamp, n: n === undefined ? 1 : Number(n), madeAt: timeOfRunId(stamp) };
}

/**
 * The name "Keep both" gives a conflict copy: `stem (B1 20240115-120000).ext` beside the original, no longer a conflict
 * name. `taken` (compared as given) gets ` 2`, ` 3` … added inside the brackets.
 */
export function keptName(path: string, taken: (path: string) => boolean = () => false): string {
  const parsed = parseConflictPath(path);
  if (!parsed) throw new Error(`not a conflict copy: ${path}`);
  const name = baseName(parsed.original);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  const tag = `${parsed.source} ${parsed.stamp}${parsed.n > 1 ? `-${parsed.n}` : ''}`;
  let candidate = joinPath(parentPath(path), `${stem} (${tag})${ext}`);
  for (let k = 2; taken(candidate); k++) candidate = joinPath(parentPath(path), `${stem} (${tag} ${k})${ext}`);
  return candidate;
}
