/**
 * Lists a folder of a source without listing through a symbolic link: a folder swapped for a link during the walk
 * (by another local user) would have the inventory list, and send to the others, names from outside the source.
 * lstat then readdir(path) leaves a window between the two; here the listing is of the very folder looked at.
 */
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, type Dirent, type Stats } from 'node:fs';
import { FsError } from '../../core/errors.ts';
import { guardSync, nodeError } from './node-errors.ts';
import { notDataMessage } from '../../core/inventory/not-data.ts';

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
/** Linux names an open descriptor's folder /proc/self/fd/<fd>: listing that lists the folder opened, whatever its path names since. */
const BY_DESCRIPTOR = process.platform === 'linux' && existsSync('/proc/self/fd');
/** Windows opens no directory (nor has O_NOFOLLOW, O_DIRECTORY): there the lstat before and after the listing only. */
const OPENS_DIRS = process.platform !== 'win32';

/**
 * The entries of folder `abs` (`path` in errors), whose lstat `before` said it is a directory. It is opened with
 * O_NOFOLLOW | O_DIRECTORY and must be that same folder (device and inode); on Linux it is listed through its
 * descriptor, elsewhere by its path. Then the path must still name it (lstat again; a folder above swapped since
 * makes it name another). A link found at any step fails as 'link' (`above`, the look at the folders above, says
 * which), another folder as 'changed': the walk records it and lists nothing of it. What remains: a folder (or one
 * above it) swapped for a link and back between the caller's look and the open, or, elsewhere than Linux, between
 * the open and the listing (on Windows, which opens no folder, around the listing).
 */
export function listSameDir(abs: string, path: string, before: Stats, above: () => void): Dirent[] {
  const entries = OPENS_DIRS ? listOpened(abs, path, before) : guardSync(path, () => readdirSync(abs, { withFileTypes: true }));
  // A folder above swapped since makes the path name another folder, seen here; `above` then says which is a link.
  const after = lstatSync(abs, { throwIfNoEntry: false });
  if (!after || after.dev !== before.dev || after.ino !== before.ino) {
    above();
    throw swapped(abs, path) ?? changed(path);
  }
  return entries;
}

/** The entries of the folder opened at `abs`, which must be the one `before` saw; through its descriptor on Linux. */
function listOpened(abs: string, path: string, before: Stats): Dirent[] {
  let fd: number;
  try {
    fd = openSync(abs, DIR_FLAGS);
  } catch (error) {
    throw swapped(abs, path) ?? nodeError(error, path);
  }
  let entries: Dirent[];
  try {
    const opened = fstatSync(fd);
    if (opened.dev !== before.dev || opened.ino !== before.ino) throw swapped(abs, path) ?? changed(path);
    entries = guardSync(path, () => readdirSync(BY_DESCRIPTOR ? `/proc/self/fd/${fd}` : abs, { withFileTypes: true }));
  } finally {
    closeSync(fd);
  }
  return entries;
}

/** 'link' when a symbolic link stands at the folder's path now, else null. */
function swapped(abs: string, path: string): FsError | null {
  const now = lstatSync(abs, { throwIfNoEntry: false });
  if (!now?.isSymbolicLink()) return null;
  const to = (() => {
    try {
      return readlinkSync(abs);
    } catch {
      return '?';
    }
  })();
  return new FsError('link', path, notDataMessage('link-listed', to));
}

const changed = (path: string) => new FsError('changed', path, 'replaced by another folder during the listing: not listed');
