/**
 * What each own source's watcher said changed since that source's last inventory (docs/protocol.md §12): a few paths,
 * so a continuous round looks at those only, or "somewhere" (the whole folder is walked).
 */
import { isValidPath } from '../paths.ts';

/** Past this many paths per source, or a path this long, a round walks the whole folder: as cheap, and bounded. */
export const CHANGED_PATHS_MAX = 256;
export const CHANGED_PATH_CHARS_MAX = 4096;

/** A source's changes: paths, or 'all' (unknown, too many, or never watched since its last inventory). */
export type Changes = readonly string[] | 'all';

export class ChangeLog {
  /** Source id → paths noted since its last `take`; absent = 'all' (not watched, or the watcher did not say what). */
  readonly #paths = new Map<string, Set<string> | 'all'>();

  /** The source's watcher starts (or starts again): what happened before it is unknown. */
  watching(id: string): void {
    this.#paths.set(id, 'all');
  }

  /** The source is no longer watched: its next inventory cannot rely on notes. */
  forget(id: string): void {
    this.#paths.delete(id);
  }

  /** A change at `path` (null: somewhere) in the source. A path the log cannot use makes it 'all'. */
  note(id: string, path: string | null): void {
    const set = this.#paths.get(id);
    if (set === undefined || set === 'all') return;
    const p = path?.replace(/^\/+|\/+$/g, '') ?? null;
    if (p === null || p === '' || p.length > CHANGED_PATH_CHARS_MAX || !isValidPath(p) || (!set.has(p) && set.size >= CHANGED_PATHS_MAX)) return void this.#paths.set(id, 'all');
    set.add(p);
  }

  /** What changed since the last take, and from now on a fresh note (an unwatched source stays 'all'). */
  take(id: string): Changes {
    const set = this.#paths.get(id);
    if (set === undefined) return 'all';
    this.#paths.set(id, new Set());
    return set === 'all' ? 'all' : [...set];
  }

  /** An inventory that took the notes did not finish: the next one walks whole. */
  spoil(id: string): void {
    if (this.#paths.has(id)) this.#paths.set(id, 'all');
  }
}
