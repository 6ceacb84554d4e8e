/** Walks a data source: directories and files with their stat, errors per path, bounded metadata concurrency. */
import type { CancelSignal, DirSource } from '../ports.ts';
import { FsError, cancelled, toFsError } from '../errors.ts';
import { isValidName, joinPath } from '../paths.ts';
import type { ItemError } from './types.ts';
import { isExcluded, type Excluder } from './exclusions.ts';
import { createLimiter } from '../util/pool.ts';

/** One entry found by the walk. */
export type WalkEntry = { kind: 'directory'; path: string } | { kind: 'file'; path: string; size: number; mtime: number; mode?: number };

export interface WalkResult {
  /** In discovery order (not sorted). */
  entries: WalkEntry[];
  errors: ItemError[];
  /** Entries left out by the built-in exclusions (an excluded directory counts once). */
  excluded: number;
}

export interface WalkOptions {
  source: DirSource;
  signal?: CancelSignal;
  /** Metadata calls (list/stat) in flight at once; 16 by default. Small files make latency, not bandwidth, the limit. */
  concurrency?: number;
  /** Called for each entry as it is found (progress). */
  onEntry?: (entry: WalkEntry) => void;
  /** Which entries to leave out (settings: system, hidden, patterns); the built-in table with system files by default. */
  exclude?: Excluder;
  /** Called for each entry the exclusions leave out (an excluded directory once, not entered). */
  onExcluded?: (path: string, kind: 'file' | 'directory') => void;
  /** The directory whose contents are walked ('' = the whole source): a partial inventory re-walks a new subtree. */
  from?: string;
}

/** The built-in table with system files excluded: what a walk without settings leaves out. */
export const defaultExcluder: Excluder = (path, name, kind) => isExcluded(name, kind, !path.includes('/'));

/**
 * Lists the whole source. A directory that cannot be listed or a file that cannot be
 * stat'ed becomes an ItemError at its own path and the walk goes on; only the signal's cancel throws.
 * For a single-file source, `list('')` yields the one file and no exclusion applies
 * (the user picked it explicitly).
 */
export async function walkSource(options: WalkOptions): Promise<WalkResult> {
  const { source, signal, onEntry } = options;
  const limit = createLimiter(options.concurrency ?? 16);
  const result: WalkResult = { entries: [], errors: [], excluded: 0 };
  const fileRoot = source.rootKind === 'file';
  const exclude: Excluder = options.exclude ?? defaultExcluder;

  const fail = (path: string, error: unknown) => {
    // Only the user's cancel stops the walk: a platform AbortError on one entry is that entry's error.
    if (signal?.aborted) throw cancelled();
    const e = toFsError(error, path);
    result.errors.push({ path, code: e.code === 'cancelled' ? 'io' : e.code, message: e.message });
  };
  const found = (entry: WalkEntry) => {
    result.entries.push(entry);
    onEntry?.(entry);
  };
  const guard = <T>(task: () => Promise<T>) =>
    limit(() => {
      if (signal?.aborted) throw cancelled();
      return task();
    });

  const visit = async (dir: string): Promise<void> => {
    let listing;
    try {
      listing = await guard(() => source.list(dir));
    } catch (error) {
      return fail(dir, error);
    }
    await Promise.all(
      listing.map(async ({ name, kind }) => {
        const path = joinPath(dir, name);
        if (!isValidName(name)) {
          fail(path, new FsError('invalid-name', path));
          return;
        }
        if (!fileRoot && exclude(path, name, kind)) {
          result.excluded++;
          options.onExcluded?.(path, kind);
          return;
        }
        if (kind === 'directory') {
          found({ kind: 'directory', path });
          return visit(path);
        }
        try {
          const { size, mtime, mode } = await guard(() => source.stat(path));
          found({ kind: 'file', path, size, mtime, ...(mode !== undefined ? { mode } : {}) });
        } catch (error) {
          fail(path, error);
        }
      }),
    );
  };

  await visit(options.from ?? '');
  if (signal?.aborted) throw cancelled();
  return result;
}
