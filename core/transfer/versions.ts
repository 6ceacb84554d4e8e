/** Keeping what a run replaces or deletes under `.quintet/versions/<runId>/<path>` of the same target. */
import type { DirSink, DirSource, EntryKind } from '../ports.ts';
import { FsError, toFsError } from '../errors.ts';
import { isWithin, joinPath, parentPath } from '../paths.ts';
import { touchesOwnFolder } from '../own-folder.ts';
import { VERSIONS_DIR } from './run-id.ts';

/** Bytes per read when a version must be copied (sinks without `move`). */
const COPY_CHUNK = 4 * 1024 * 1024;

/** What stands at a path of a sink: a file, a directory, or nothing (one kindOf or stat call). */
export async function kindAt(sink: DirSource, path: string): Promise<EntryKind | null> {
  if (sink.kindOf) return sink.kindOf(path);
  try {
    await sink.stat(path);
    return 'file';
  } catch (error) {
    const e = toFsError(error, path);
    if (e.code === 'not-found') return null;
    if (e.code === 'type-mismatch') return 'directory'; // ports: stat of a directory is a type mismatch
    throw e;
  }
}

/**
 * Undoes a kept version: puts the item back where it stood. `committed`: the replacement was moved into place (and
 * then found wrong), so whatever still stands at the path is not the kept item.
 */
export type Restore = (committed?: boolean) => Promise<void>;

/** Where a version was kept, and how to put it back. */
export interface Kept {
  /** Its path in the sink: `.quintet/versions/<runId>/<path>`, or with `~2`, `~3` … */
  path: string;
  restore: Restore;
}

/**
 * Moves the item at `path` (file or whole directory, empty ones included) to the run's
 * versions folder of that sink (`<path>~2`, `~3` … if the run already kept something there), in one step with `sink.move`, else by copy then remove.
 * Returns where it went (the run's manifest names it) and how to put it back if the action that needed the room fails. Quintet's own folder, or anything in it, is
 * never kept (under any spelling: own-folder.ts): its versions would be kept inside themselves, a copy without end.
 */
export async function keepVersion(sink: DirSink, runId: string, path: string, kind: EntryKind): Promise<Kept> {
  const kept = await versionPath(sink, runId, path);
  if (sink.move) {
    const move = sink.move.bind(sink);
    try {
      await move(path, kept);
    } catch (error) {
      // The browser moves a folder file by file: one that could not go back (a save stands at its old path) stays.
      throw (await kindAt(sink, kept).catch(() => null)) === null ? error : new KeptPartly(toFsError(error, path), path, kept, kind);
    }
    // Put back only where nothing stands now: the browser's move() replaces a file, and what stands there since (a
    // save) is the user's (on Node the move itself never replaces: adapters/node/no-replace.ts).
    const restore = async () => {
      if ((await kindAt(sink, path)) !== null) throw new FsError('exists', path, 'something stands there since: the version stays kept');
      await move(kept, path);
    };
    return { path: kept, restore };
  }
  await copyTree(sink, path, kept, kind);
  await sink.remove(path, { recursive: true });
  return { path: kept, restore: () => copyTree(sink, kept, path, kind) };
}

/**
 * Keeps the file at `path` as a version just before a commit replaces it. Where the sink can give a file a second name
 * (`DirSink.link`: Node), the version is that name and the file stays where it is: the commit's rename then replaces it
 * in one step, so the path never stands empty, even if the process is killed or the power cut between the two (an empty
 * path would read as a deletion to the next Two-way, which would carry it to the others). Elsewhere (a directory, OPFS,
 * a file system without links) as keepVersion: moved aside for the time of the commit. `restore` puts things back
 * either way: the old file is still in place (commit not made) and only its version name goes, or it comes back from
 * the version.
 */
export async function keepBeforeReplace(sink: DirSink, runId: string, path: string, kind: EntryKind): Promise<Kept> {
  if (kind !== 'file' || !sink.link) return keepVersion(sink, runId, path, kind);
  const kept = await versionPath(sink, runId, path);
  if (!(await sink.link(path, kept).then(() => true, () => false))) return keepVersion(sink, runId, path, kind); // links refused here (FAT, some network mounts)
  return {
    path: kept,
    restore: async (committed = false) => {
      // Before the commit, the old file is still at its path: its second name goes. After it, what stands there is the
      // new file that could not be removed: the version is then the old file's only name, and stays.
      if ((await kindAt(sink, path)) !== null) return committed ? undefined : sink.remove(kept, { recursive: false });
      if (sink.move) return sink.move(kept, path);
      await copyTree(sink, kept, path, kind);
      await sink.remove(kept, { recursive: false });
    },
  };
}

/**
 * A keep that failed with part of the item moved under versions, where it stays (it could not go back: something stands
 * at its old path since). Callers record it in their run's manifest, else no list would show it and nothing restore it.
 */
export class KeptPartly extends FsError {
  constructor(cause: FsError, readonly from: string, readonly kept: string, readonly kind: EntryKind) {
    super(cause.code, cause.path, `${cause.message}; part of it stays kept in ${kept}`, { cause });
  }
}

/** A free path for `path`'s version in the run's versions folder, its parent made; refuses Quintet's own folder. */
async function versionPath(sink: DirSink, runId: string, path: string): Promise<string> {
  if (path === '' || touchesOwnFolder(path)) throw new FsError('invalid-name', path, "Quintet's own folder (or the root) is never kept as a version");
  let kept = joinPath(`${VERSIONS_DIR}/${runId}`, path);
  await sink.mkdir(parentPath(kept));
  // The run may already have kept something there (a child deleted, then its directory replaced): never overwrite it.
  for (let n = 2; (await kindAt(sink, kept)) !== null; n++) kept = `${joinPath(`${VERSIONS_DIR}/${runId}`, path)}~${n}`;
  return kept;
}

/** Whether `to` is `from` or lies inside it, also on a sink that folds case and Unicode normalization (APFS, NTFS). */
function isOwnSubtree(to: string, from: string): boolean {
  const fold = (p: string) => p.normalize('NFD').toUpperCase().toLowerCase();
  return isWithin(fold(to), fold(from));
}

/**
 * Copies a file or a directory tree within one sink (fallback when the sink cannot move). Never into its own subtree:
 * each level would list what the level above just copied, without end.
 */
export async function copyTree(sink: DirSink, from: string, to: string, kind: EntryKind): Promise<void> {
  if (isOwnSubtree(to, from)) throw new FsError('invalid-name', to, `cannot copy ${from} inside itself`);
  if (kind === 'directory') {
    await sink.mkdir(to);
    for (const entry of await sink.list(from)) {
      await copyTree(sink, joinPath(from, entry.name), joinPath(to, entry.name), entry.kind);
    }
    return;
  }
  const file = await sink.open(from);
  const writer = await sink.createWriter(to);
  try {
    for (let offset = 0; offset < file.size; offset += COPY_CHUNK) {
      const bytes = await file.read(offset, Math.min(COPY_CHUNK, file.size - offset));
      if (bytes.length === 0) throw new FsError('changed', from, 'short read');
      await writer.write(bytes);
    }
    await writer.commit();
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw error;
  }
}
