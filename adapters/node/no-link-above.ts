/**
 * The look at every folder above a path before the Node member writes, moves, removes or sets metadata there. lstat,
 * rename, link and chmod leave only the last name unfollowed (as O_NOFOLLOW does): a folder replaced by a symbolic link
 * since the inventory would take the operation out of the source.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { FsError } from '../../core/errors.ts';
import { guardSync } from './node-errors.ts';

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
    throw new FsError('link', dir, `symbolic link (${to}) where a folder is expected, not followed`);
  }
}
