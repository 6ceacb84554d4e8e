/**
 * A FileWriter for Node: bytes go to a file in `.quintet/tmp/` and are renamed over the target on commit (one atomic
 * step on one file system), so a file never appears half-written; its data is flushed to the disk before the rename,
 * so a power cut does not leave it empty or short either (durable.ts). Files staged right now are listed in
 * `stagedNow`, so a process killed by a second Ctrl-C can still remove them synchronously on exit.
 */
import { closeSync, fchmodSync, fstatSync, futimesSync, lstatSync, mkdirSync, openSync, renameSync, unlinkSync, write, writeSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { sep } from 'node:path';
import type { FileStat, FileWriter } from '../../core/ports.ts';
import { FsError } from '../../core/errors.ts';
import { nodeError } from './node-errors.ts';
import { loopTurn, SYNC_WRITE_BYTES } from './sync-bytes.ts';
import type { SyncCalls } from './durable.ts';

/** Quintet's working folder for half-written files, as in the browser (adapters/browser/staged-writer.ts). */
export const STAGING_DIR = '.quintet/tmp';

/** Absolute paths of the files being staged by this process. */
export const stagedNow = new Set<string>();

let counter = 0;
// Drawn once per process: with the pid and the counter it keeps names apart across processes and machines (a shared
// folder), and opening with 'wx' refuses any name that exists all the same.
const processTag = `${process.pid.toString(36)}-${randomBytes(4).toString('hex')}`;

/** A name no other writer (of this process or another) uses. */
export function stagedName(): string {
  return `${Date.now().toString(36)}-${processTag}-${(counter++).toString(36)}.part`;
}

/** write(2) of a large chunk, off the main thread (libuv's pool), so the engine goes on meanwhile. */
const writeAsync = (fd: number, chunk: Uint8Array, at: number) =>
  new Promise<number>((resolve, reject) => write(fd, chunk, at, chunk.length - at, null, (error, n) => (error ? reject(error) : resolve(n))));

export interface StagedFileOptions {
  /** Make a missing staging folder (the open that finds it missing makes it and tries again); a function first checks it may. */
  makeDir: boolean | (() => void);
  /** Throws if the target may no longer be written (a folder above it replaced by a link meanwhile): called just before the rename. */
  beforeRename?: () => void;
  /** A file whose permission bits and times the new one takes before it is moved into place (keep-metadata.ts). */
  metadataFrom?: string;
  /** Told whether that worked (null) or why not; the content is committed either way. */
  onMetadata?: (failure: string | null) => void;
  /**
   * Durability: the staged file's data is synced with `calls.datasync` before the rename, and the target's folder is
   * added to `dirs` (synced once at the end of the run). Absent: neither (`--no-fsync`).
   */
  durable?: { calls: SyncCalls; dirs: Set<string> };
}

/**
 * A durable file's data is handed to the disk as it is written, in steps of this many bytes (one fdatasync in the
 * pool at a time, not awaited by the writes), so the sync before its rename has only the last step left to write
 * instead of the whole file: a large file's commit no longer waits for all its bytes to reach the disk at once.
 * (Linux's sync_file_range would start the writeback without waiting; Node does not offer it.)
 */
export const WRITEBACK_STEP_BYTES = 32 * 1024 * 1024;

// Half a millisecond: utimes takes seconds as a double, and `x.123` seconds may land on x.122999… ms.
export const utimeSeconds = (ms: number): number => Math.floor(ms) / 1000 + 0.0005;

/** Opens a writer that stages into `stagingDir` and renames onto `target` (absolute) on commit. */
export function openStagedFile(stagingDir: string, target: string, path: string, options: StagedFileOptions): FileWriter {
  const { makeDir } = options;
  const stagedPath = `${stagingDir}${sep}${stagedName()}`; // a name of its own: no path.join per file
  let fd: number;
  try {
    try {
      fd = openSync(stagedPath, 'wx');
    } catch (error) {
      if (!makeDir || (error as { code?: string }).code !== 'ENOENT') throw error;
      if (typeof makeDir === 'function') makeDir();
      mkdirSync(stagingDir, { recursive: true });
      fd = openSync(stagedPath, 'wx');
    }
  } catch (error) {
    throw nodeError(error, path);
  }
  stagedNow.add(stagedPath);
  // 'committing': the commit owns the descriptor (an fdatasync may be running on it in the pool); abort leaves it be.
  let state: 'open' | 'committing' | 'done' = 'open';
  let fdOpen = true;
  let written = 0;
  /** The writeback step in flight (WRITEBACK_STEP_BYTES), and the bytes written when the last one started. */
  let writeback: Promise<void> | null = null;
  let handedOver = 0;
  let writebackError: unknown = null;
  /** What the commit does before its move is done (flush()), for the bytes written so far. */
  let flushed = false;
  /** An abort that came while flush() owned the descriptor: flush discards the file once done. */
  let abortAsked = false;
  const discard = async () => {
    if (state === 'committing') {
      abortAsked = true;
      return; // the commit (or flush) cleans up itself
    }
    state = 'done';
    await writeback; // never closes the descriptor under a sync still queued in the pool
    if (fdOpen) closeQuietly(fd);
    fdOpen = false;
    try {
      unlinkSync(stagedPath);
    } catch {
      // never created or already gone
    }
    stagedNow.delete(stagedPath);
  };
  const beforeMove = async () => {
    if (options.metadataFrom !== undefined) keepMetadataOf(fd, options.metadataFrom, options.onMetadata);
    // The bytes reach the disk before the name does: without this, a power cut soon after the rename can leave an
    // empty or short file at the final name (ext4's delayed allocation, XFS, btrfs), which the next inventory
    // would take for the user's edit and Two-way carry to the others. In libuv's pool: the engine's other copies
    // (16 small ones in flight) go on meanwhile, and the file system groups their syncs.
    await writeback;
    if (writebackError !== null) throw flushError(writebackError, path);
    if (options.durable) await options.durable.calls.datasync(fd).catch((error: unknown) => Promise.reject(flushError(error, path)));
  };
  return {
    async write(chunk) {
      if (state !== 'open') throw new FsError('io', path, 'writer closed');
      try {
        // Small chunks synchronously (see sync-bytes.ts), large ones through the pool.
        for (let at = 0; at < chunk.length; ) at += chunk.length <= SYNC_WRITE_BYTES ? writeSync(fd, chunk, at, chunk.length - at) : await writeAsync(fd, chunk, at);
        written += chunk.length;
        flushed = false;
      } catch (error) {
        throw nodeError(error, path);
      }
      if (options.durable && writeback === null && written - handedOver >= WRITEBACK_STEP_BYTES) {
        handedOver = written;
        // Its failure is kept for the commit: Linux reports a writeback error to one fdatasync of a descriptor only,
        // so the sync before the rename could succeed after this one failed.
        writeback = options.durable.calls.datasync(fd).then(
          () => void (writeback = null),
          (error: unknown) => void ((writebackError ??= error), (writeback = null)),
        );
      }
    },
    async keep(meta): Promise<{ mtime: boolean; mode: boolean }> {
      if (state !== 'open') throw new FsError('io', path, 'writer closed');
      // On the staged descriptor, before the move: the file appears with its source's time and bits. Only rwx bits:
      // never setuid, setgid or sticky from another member's say-so. A file system that refuses is reported, not thrown.
      // `quintet local` names the source file itself (metadataFrom), whose bits and times the commit sets: nothing to do twice.
      if (options.metadataFrom !== undefined) return { mtime: false, mode: false };
      const { mode: bits, mtime: time } = meta;
      const mode = bits !== undefined && succeeds(() => fchmodSync(fd, bits & 0o777));
      const mtime = time !== undefined && succeeds(() => futimesSync(fd, Date.now() / 1000, utimeSeconds(time)));
      return { mtime, mode };
    },
    async flush(): Promise<void> {
      if (state !== 'open') throw new FsError('io', path, 'writer closed');
      state = 'committing'; // the descriptor is the flush's until it is done
      try {
        await beforeMove();
        flushed = true;
      } catch (error) {
        state = 'open';
        await discard();
        throw nodeError(error, path);
      }
      state = 'open';
      if (abortAsked) {
        await discard();
        throw new FsError('io', path, 'writer closed');
      }
    },
    async commit(): Promise<FileStat> {
      if (state !== 'open') throw new FsError('io', path, 'writer closed');
      await loopTurn();
      if (state !== 'open') throw new FsError('io', path, 'writer closed'); // aborted meanwhile
      state = 'committing';
      try {
        if (!flushed) await beforeMove();
        const staged = fstatSync(fd);
        fdOpen = false; // close(2) frees the descriptor even when it reports an error
        closeSync(fd);
        if (staged.size !== written) throw new FsError('corrupt', path, `${staged.size} bytes staged of ${written} written`);
        // A directory standing at the target is never replaced: rename(2) of a file onto one fails (EISDIR; other
        // systems say otherwise), so the target is looked at only when the rename failed.
        options.beforeRename?.();
        try {
          renameSync(stagedPath, target);
        } catch (error) {
          if (isDirectory(target)) throw new FsError('type-mismatch', path, 'a directory stands at the target', { cause: error });
          throw error;
        }
        stagedNow.delete(stagedPath);
        state = 'done';
        options.durable?.dirs.add(dirOf(target));
        // Every byte write() took is in the file (counted, and the size checked): the engine need not read it back.
        return { size: staged.size, mtime: Math.floor(staged.mtimeMs), mode: staged.mode & 0o777 }; // as NodeDirSink.stat says
      } catch (error) {
        state = 'open';
        await discard();
        throw nodeError(error, path);
      }
    },
    abort: discard,
  };
}

/** A failed fdatasync, said as such: the file was not moved into place. */
function flushError(error: unknown, path: string): FsError {
  const e = nodeError(error, path);
  return new FsError(e.code, path, `could not flush the staged file to disk, not moved into place: ${e.message}`, { cause: error });
}

/** The folder holding `target` (absolute): cut at the last separator, no path.dirname per file. */
const dirOf = (target: string): string => target.slice(0, Math.max(target.lastIndexOf(sep), 1));

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false; // the rename's own error says more
  }
}

/** Whether `call` ran without throwing. */
function succeeds(call: () => void): boolean {
  try {
    call();
    return true;
  } catch {
    return false;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

/**
 * For the source files `quintet local` copies metadata from (keep-metadata.ts names them before the run): the stat their
 * last read took on its own descriptor (node-dir-sink.ts). The staged copy takes its mode and times from the very file
 * it was read from, without one more lstat per file. Absent (never read by a sink): the commit looks at the file.
 */
const readStats = new Map<string, Stats | null>();

/** The absolute paths whose reads should leave their stat for `keepMetadataOf`; forgets those of an earlier run. */
export function wantReadStats(paths: Iterable<string>): void {
  readStats.clear();
  for (const path of paths) readStats.set(path, null);
}

/** Called by each read of a source file with the stat it checked (kept only for a wanted path). */
export function noteReadStat(abs: string, stat: Stats): void {
  if (readStats.has(abs)) readStats.set(abs, stat);
}

/**
 * Gives the staged file (open as `fd`) the mode and times of `from`, so it appears with them: nobody sees it with the
 * time of writing. Rsync's order too. A failure (a file system without permission bits) is reported, not thrown.
 */
function keepMetadataOf(fd: number, from: string, report?: (failure: string | null) => void): void {
  try {
    const s = readStats.get(from) ?? lstatSync(from);
    fchmodSync(fd, s.mode & 0o777);
    futimesSync(fd, utimeSeconds(s.atimeMs), utimeSeconds(s.mtimeMs));
    report?.(null);
  } catch (error) {
    report?.((error as Error).message);
  }
}
