/**
 * Gives an item a new name within a source without ever replacing what stands there: rename(2) replaces a file at its
 * target silently, so a save landing between a caller's look (an undo's, a restore's) and the rename would be lost,
 * not even kept as a version. Linux has renameat2(RENAME_NOREPLACE), but Node does not expose it.
 * link(2) then unlink(2) has the opposite window: a save renamed over the old name between the two calls is what the
 * unlink removes. So only a name Quintet alone writes (in `.quintet/`: a version put back, a staged copy) is given up
 * that way; a user's file (kept as a version, into a fresh name in `.quintet/versions/`) moves by rename(2), which takes
 * the very file standing at its name in one step (NodeDirSink.move says which).
 */
import { link, lstat, rename, unlink } from 'node:fs/promises';
import { FsError } from '../../core/errors.ts';
import { guard, nodeError } from './node-errors.ts';

/**
 * errno of a link(2) the file system or its policy refuses (FAT, exFAT, some network mounts; protected_hardlinks).
 * EISDIR: libuv's name for Windows' ERROR_INVALID_FUNCTION, CreateHardLink's answer on FAT (only files are linked here).
 */
const LINKS_REFUSED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EISDIR']);

/**
 * Moves `src` to `dst` (absolute; `from` and `to` name them in errors), failing as 'exists' if anything stands at
 * `dst`. A regular file whose name only Quintet writes (`srcIsOurs`): link(2) then unlink(2) of the old name; link
 * fails with EEXIST on whatever appeared, in the same step that names the file. Where links are refused
 * (LINKS_REFUSED), it falls back to a look (lstat) then rename(2): a save landing between those two calls would still
 * be replaced. A user's file (not `srcIsOurs`): the same look then rename(2), into a name only Quintet writes. A folder
 * (and a link or special file, which link(2) may follow on some systems): rename(2), which never replaces a file nor a
 * folder holding anything (ENOTDIR, ENOTEMPTY, EEXIST); at most an empty folder made meanwhile gives way.
 */
export async function moveNoReplace(src: string, dst: string, from: string, to: string, srcIsOurs: boolean): Promise<void> {
  const s = await guard(from, () => lstat(src));
  if (s.isFile() && srcIsOurs) {
    try {
      await link(src, dst);
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (!LINKS_REFUSED.has(code)) throw taken(error, to);
      return lookThenRename(src, dst, from, to);
    }
    try {
      await unlink(src);
    } catch (error) {
      // The old name already gone (removed by another process meanwhile): the file lives on at `dst`, its only name now.
      // Removing that one as below would lose the very file being put back.
      if ((error as { code?: string }).code === 'ENOENT') return;
      // One name again, and the move falls back (Windows removes no read-only file, yet renames it); a real refusal
      // (a folder not writable) is then rename's to say. If even the new name cannot go, the file keeps both: say why,
      // not 'exists' for a name it gave itself.
      if (!(await unlink(dst).then(() => true, () => false))) throw nodeError(error, from);
      return lookThenRename(src, dst, from, to);
    }
    return;
  }
  return lookThenRename(src, dst, from, to);
}

async function lookThenRename(src: string, dst: string, from: string, to: string): Promise<void> {
  if (await lstat(dst).then(() => true, () => false)) throw new FsError('exists', to);
  try {
    await rename(src, dst);
  } catch (error) {
    throw taken(error, to);
  }
}

/** Something standing at the target says 'exists', whichever errno the call gave; anything else as it is. */
function taken(error: unknown, to: string): FsError {
  const code = (error as { code?: string }).code;
  if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'ENOTDIR') return new FsError('exists', to, 'something stands there since: left as it is', { cause: error });
  return nodeError(error, to);
}
