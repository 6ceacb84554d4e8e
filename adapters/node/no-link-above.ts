/**
 * The look at every folder above a path before the Node member writes, moves, removes or sets metadata there. lstat,
 * rename and link leave only the last name unfollowed (as O_NOFOLLOW does; chmod and utimes follow it, so metadata goes
 * through an O_NOFOLLOW descriptor: keep-metadata.ts): a folder replaced by a symbolic link since the inventory would
 * take the operation out of the source.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { FsError } from '../../core/errors.ts';
import { guardSync } from './node-errors.ts';
import { notDataMessage } from '../../core/inventory/not-data.ts';

/**
 * Throws unless every folder above `path` (relative; `abs` makes it absolute) is a real directory: 'link' for a
 * symbolic link, 'type-mismatch' for anything else. A missing folder ends the look (nothing below it to reach) unless
 * `parentNeeded`. One lstat per level: paths are a few levels deep.
 */
export function noLinkAbove(abs: (path: string) => string, path: string, parentNeeded: boolean): void {
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const dir = path.slice(0, i);
    const at = abs(dir);
    const s = guardSync(dir, () => lstatSync(at, { throwIfNoEntry: parentNeeded }));
    if (!s) return;
    if (s.isDirectory()) continue;
    if (!s.isSymbolicLink()) throw new FsError('type-mismatch', dir, 'not a directory');
    const to = guardSync(dir, () => readlinkSync(at));
    throw new FsError('link', dir, notDataMessage('link-above', to));
  }
}

/** Which directory a source's root was when it was opened: a disk, an inode. */
export interface RootId {
  dev: number;
  ino: number;
}

/**
 * Throws 'not-found' unless `root` is still the directory it was when opened. A root removed, or an unmounted disk
 * (its mount point is another, empty directory), must not be made again by a recursive mkdir and filled with the
 * others' files: the system disk would fill, and the next inventory would see a few files where a tree stood, the rest
 * read as deleted and carried to the others. Called before a folder is made (mkdir, the staging folder).
 */
export function sameRoot(root: string, id: RootId): void {
  const s = lstatSync(root, { throwIfNoEntry: false });
  if (s?.isDirectory() && s.dev === id.dev && s.ino === id.ino) return;
  throw new FsError('not-found', '', `${root} is no longer the folder opened (${s ? 'replaced: a disk unmounted?' : 'removed'}): nothing is written there`);
}
