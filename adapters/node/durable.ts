/**
 * What the Node writer syncs so a power cut never leaves an empty or short file at a final name (or loses a rename the
 * run reported done): each staged file's data (fdatasync, before its rename), and each directory whose entries a run
 * changed (fsync, once per directory at the end of the run: `DirSink.flush`).
 */
import { close, fdatasync, fsync, open, constants } from 'node:fs';
import { forEachPool } from '../../core/util/pool.ts';

/** The two calls, as a port: tests wrap the real ones to count them or make them fail (EIO, ENOSPC). */
export interface SyncCalls {
  /** fdatasync(2) of an open file, in libuv's pool (off the main thread, so many files sync at once). */
  datasync(fd: number): Promise<void>;
  /** fsync(2) of a directory, so the names created, replaced or removed in it survive a power cut. */
  syncDir(path: string): Promise<void>;
}

/**
 * A file system that offers no sync (EINVAL, ENOTSUP: some FUSE and network file systems) is written as it allows,
 * not refused. Any other error (EIO, ENOSPC, EDQUOT: bytes the disk did not take) fails the call.
 */
const CANNOT_SYNC = new Set(['EINVAL', 'ENOTSUP', 'EOPNOTSUPP']);
const settle = (resolve: () => void, reject: (e: unknown) => void) => (error: NodeJS.ErrnoException | null) =>
  error && !CANNOT_SYNC.has(error.code ?? '') ? reject(error) : resolve();

const datasync = (fd: number) => new Promise<void>((resolve, reject) => fdatasync(fd, settle(resolve, reject)));

const fsyncFd = (fd: number) => new Promise<void>((resolve, reject) => fsync(fd, settle(resolve, reject)));

const openDir = (path: string) =>
  new Promise<number>((resolve, reject) => open(path, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0), (error, fd) => (error ? reject(error) : resolve(fd))));

async function syncDir(path: string): Promise<void> {
  // Windows opens no directory; NTFS journals its names itself (as Syncthing does there, nothing to call).
  if (process.platform === 'win32') return;
  const fd = await openDir(path);
  try {
    await fsyncFd(fd);
  } finally {
    close(fd, () => undefined);
  }
}

/** The real calls. */
export const nodeSyncCalls: SyncCalls = { datasync, syncDir };

/** Directories synced at once (each holds a descriptor meanwhile; the pool runs four calls at a time anyway). */
const DIRS_AT_ONCE = 16;

/**
 * Syncs each directory of `dirs` once, several at a time in the pool; each fsync makes that directory's own entries
 * durable, so the order does not matter. Forgets them; returns the ones that failed, with why (nothing is thrown).
 */
export async function syncDirs(calls: SyncCalls, dirs: Set<string>): Promise<Array<{ dir: string; error: unknown }>> {
  const list = [...dirs];
  dirs.clear();
  const failed: Array<{ dir: string; error: unknown }> = [];
  await forEachPool(list, DIRS_AT_ONCE, (dir) =>
    calls.syncDir(dir).catch((error: unknown) => {
      // A directory removed since (a folder deleted later in the run) has no entries left to make durable; its parent,
      // whose entry changed, is in the list itself.
      if ((error as { code?: string }).code !== 'ENOENT') failed.push({ dir, error });
    }),
  );
  return failed;
}
