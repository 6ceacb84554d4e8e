/**
 * Moves within a folder picked through the File System Access API (FsaDirSink.move): a file in one step with move(), a
 * directory file by file (Chrome has no move() for directories). Never a recursive removal: what the browser does not
 * list on disk (a link, a name it refuses) or what is saved into a folder while it moves would go with it, unkept.
 */
import { FsError } from '../../core/errors.ts';
import { touchesOwnFolder } from '../../core/own-folder.ts';
import { fsaError, guard } from './fsa-errors.ts';

type MovableFile = FileSystemFileHandle & { move?: (dir: FileSystemDirectoryHandle, name: string) => Promise<void> };

/** One file moved with FileSystemHandle.move(); only "unsupported here" falls back to copy then remove. */
export async function moveFile(file: FileSystemFileHandle, fromDir: FileSystemDirectoryHandle, fromName: string, toDir: FileSystemDirectoryHandle, toName: string, from: string, to: string): Promise<void> {
  const movable = file as MovableFile;
  if (typeof movable.move === 'function') {
    try {
      await movable.move(toDir, toName);
      return;
    } catch (error) {
      const mapped = fsaError(error, from);
      // A real failure (space, permission) is reported as is. So is a lock (another tab writing the file, or reading it
      // through a sync access handle: workers/sync-read.ts): its removal would fail as well, after the copy, which then
      // stayed where it went (under versions: a duplicate no manifest names).
      if ((mapped.code !== 'io' && mapped.code !== 'exists') || (error as { name?: string })?.name === 'NoModificationAllowedError') throw mapped;
    }
  }
  const copied = await copyFile(file, toDir, toName, to);
  // Removed only while it is still the file copied: a save landing during or after the copy would go with it, unkept.
  // The copy then stays where it went, as the version it is (the caller records it: core/transfer/versions.ts).
  const now = await guard(from, () => file.getFile());
  if (now.size !== copied.size || now.lastModified !== copied.lastModified) throw new FsError('changed', from, 'saved while it was being moved: left as it is');
  await guard(from, () => fromDir.removeEntry(fromName));
}

/** A file moved by moveTree: it stood as `name` in `back`, it stands as `name` in `at`. */
interface Moved {
  back: FileSystemDirectoryHandle;
  at: FileSystemDirectoryHandle;
  name: string;
  path: string;
}

/** A folder moveTree emptied, to remove once every file moved (deepest first), or to make again if it must undo. */
interface Emptied {
  parent: FileSystemDirectoryHandle;
  name: string;
  path: string;
}

/**
 * Moves directory `dir` (`fromName` in `fromDir`) to `toName` in `toDir`: every file moved into the same tree made there,
 * then each emptied folder removed without recursion, deepest first. If one is not empty then (an item the browser does
 * not list, one saved there meanwhile), the folders removed are made again and the files moved back, and the move fails
 * as 'changed': the directory stays as it was, with the newcomer, and nothing lies half kept where no manifest names it.
 */
export async function moveTree(dir: FileSystemDirectoryHandle, fromDir: FileSystemDirectoryHandle, fromName: string, toDir: FileSystemDirectoryHandle, toName: string, from: string, to: string): Promise<void> {
  const moved: Moved[] = [];
  const emptied: Emptied[] = [];
  const made: Emptied[] = [];
  const removed: Emptied[] = [];
  try {
    await moveFiles(dir, fromDir, fromName, toDir, toName, from, to, { moved, emptied, made });
    for (const folder of emptied) {
      await guard(folder.path, () => folder.parent.removeEntry(folder.name, { recursive: false }));
      removed.push(folder);
    }
  } catch (error) {
    await undo(moved, removed, made);
    const mapped = fsaError(error, from);
    if (mapped.code !== 'exists') throw mapped;
    throw new FsError('changed', mapped.path, 'holds an item the browser does not show, or one saved there meanwhile: left as it was', { cause: error });
  }
}

interface Done {
  moved: Moved[];
  emptied: Emptied[];
  made: Emptied[];
}

async function moveFiles(dir: FileSystemDirectoryHandle, fromDir: FileSystemDirectoryHandle, fromName: string, toDir: FileSystemDirectoryHandle, toName: string, from: string, to: string, done: Done): Promise<void> {
  const made = await guard(to, () => toDir.getDirectoryHandle(toName, { create: true }));
  // Listed for the undo as soon as made: a failure inside it left it, empty, at the version path.
  done.made.push({ parent: toDir, name: toName, path: to });
  // Listed whole first: moving entries out of a directory while iterating it may skip some.
  const entries: Array<[string, FileSystemHandle]> = [];
  await guard(from, async () => {
    for await (const entry of dir.entries()) entries.push(entry);
  });
  for (const [name, item] of entries) {
    if (item.kind === 'file') {
      // move() replaces a file: one saved at the new path meanwhile (an undo puts a folder back where the user works)
      // stays. Not looked for under Quintet's own folder (versions: a fresh path no one saves into), one call less a file.
      if (!touchesOwnFolder(to) && (await made.getFileHandle(name).then(() => true, () => false))) throw new FsError('changed', `${to}/${name}`, 'saved there while the folder was moved: left as it is');
      await moveFile(item as FileSystemFileHandle, dir, name, made, name, `${from}/${name}`, `${to}/${name}`);
      done.moved.push({ back: dir, at: made, name, path: `${from}/${name}` });
    } else await moveFiles(item as FileSystemDirectoryHandle, dir, name, made, name, `${from}/${name}`, `${to}/${name}`, done);
  }
  // After its subfolders: deepest first.
  done.emptied.push({ parent: fromDir, name: fromName, path: from });
}

/** Best effort: folders made again (outermost first), each file moved back where nothing stands now, the new tree removed if empty. */
async function undo(moved: Moved[], removed: Emptied[], made: Emptied[]): Promise<void> {
  for (const folder of [...removed].reverse()) await folder.parent.getDirectoryHandle(folder.name, { create: true }).catch(() => undefined);
  for (const file of moved.reverse()) {
    const taken = await file.back.getFileHandle(file.name).then(() => true, () => false);
    if (taken) continue; // move() would overwrite it: this one stays under versions
    const handle = await file.at.getFileHandle(file.name).catch(() => null);
    if (handle) await moveFile(handle, file.at, file.name, file.back, file.name, file.path, file.path).catch(() => undefined);
  }
  for (const folder of [...made].reverse()) await folder.parent.removeEntry(folder.name, { recursive: false }).catch(() => undefined); // deepest first
}

/** Copies `from` to `name` in `dir`; returns the snapshot copied, its size checked on the copy (a short copy fails). */
async function copyFile(from: FileSystemFileHandle, dir: FileSystemDirectoryHandle, name: string, path: string): Promise<File> {
  return guard(path, async () => {
    const file = await from.getFile();
    const target = await dir.getFileHandle(name, { create: true });
    const writable = await target.createWritable({ keepExistingData: false });
    try {
      await file.stream().pipeTo(writable);
    } catch (error) {
      await writable.abort().catch(() => {});
      throw error;
    }
    const size = (await target.getFile()).size;
    if (size !== file.size) throw new FsError('changed', path, `${size} bytes copied of ${file.size}`);
    return file;
  });
}
