/** DirSink over node:fs: a directory (or a single file) on disk; never follows a symbolic link. */
import { access, constants, link, lstat, open, readlink, realpath, rm, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { AccessState, DirEntryInfo, DirSink, EntryKind, FileStat, FileWriter, OpenFile } from '../../core/ports.ts';
import { FsError } from '../../core/errors.ts';
import { OWN_FOLDER } from '../../core/own-folder.ts';
import { baseName, isValidName, isValidPath, parentPath } from '../../core/paths.ts';
import { guard, guardSync, nodeError } from './node-errors.ts';
import { noteReadStat, openStagedFile, STAGING_DIR } from './staged-file.ts';
import { loopTurn, SYNC_BYTES } from './sync-bytes.ts';
import { keepForAgain, takeAgain } from './read-again.ts';
import { nodeSyncCalls, syncDirs, type SyncCalls } from './durable.ts';
import { noLinkAbove, sameRoot, type RootId } from './no-link-above.ts';
import { notDataMessage } from '../../core/inventory/not-data.ts';
import { moveNoReplace } from './no-replace.ts';
import { listSameDir } from './list-dir.ts';

// O_NONBLOCK: opening a FIFO that replaced a file since its stat must not hang the run.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** An OpenFile of this adapter: the hasher reads it by path in a worker, checking the same identity. */
export interface NodeOpenFile extends OpenFile {
  readonly absPath: string;
  readonly ino: number;
}

/** Whether an OpenFile came from a NodeDirSink (so a worker may open it by path). */
export function isNodeOpenFile(file: OpenFile): file is NodeOpenFile {
  return typeof (file as Partial<NodeOpenFile>).absPath === 'string';
}

/** Modification time as the engine sees it: whole milliseconds, like a browser File's `lastModified`. */
export const mtimeOf = (s: Stats): number => Math.floor(s.mtimeMs);

/** Why a non-file, non-directory entry is skipped: 'link' (never followed: it may lead out, or loop), 'special' (FIFO…). */
export async function notDataError(abs: string, s: Stats, path: string): Promise<FsError | null> {
  if (s.isSymbolicLink()) {
    const to = await readlink(abs).catch(() => '?');
    const target = await stat(abs).catch(() => null);
    const kind = !target ? 'dangling-link' : target.isDirectory() ? 'link-to-directory' : target.isFile() ? 'link-to-file' : 'link-to-special';
    return new FsError('link', path, notDataMessage(kind, to));
  }
  if (s.isFIFO()) return new FsError('special', path, notDataMessage('fifo'));
  if (s.isSocket()) return new FsError('special', path, notDataMessage('socket'));
  if (s.isCharacterDevice() || s.isBlockDevice()) return new FsError('special', path, notDataMessage('device'));
  return null;
}

const IDLE_CLOSE_MS = 50; // a read descriptor let go this long after the last read of a file read in parts

/** One descriptor shared by the reads of an OpenFile: opened on the first, closed when a read says it was the last, or when idle. */
function heldHandle(abs: string) {
  let handle: Promise<FileHandle> | null = null;
  let reading = 0;
  let idle: ReturnType<typeof setTimeout> | null = null;
  const close = async () => {
    const h = handle;
    handle = null;
    await h?.then((x) => x.close()).catch(() => undefined);
  };
  return {
    take(): Promise<FileHandle> {
      if (idle) clearTimeout(idle);
      idle = null;
      reading++;
      handle ??= open(abs, READ_FLAGS);
      const h = handle;
      return h.catch((error: unknown) => {
        if (handle === h) handle = null;
        throw error;
      });
    },
    /** A read is over; `last` when it reached the end of the file (or failed): nothing more to read. */
    async give(last: boolean): Promise<void> {
      if (--reading > 0) return;
      if (last) return close();
      idle = setTimeout(() => void close(), IDLE_CLOSE_MS);
      idle.unref();
    },
  };
}

/**
 * A source on disk. `NodeDirSink.open(dir)` checks the root; paths are relative and '/'-separated as the ports say.
 * Metadata calls and small reads are synchronous (sync-bytes.ts says why); large reads go through libuv's pool.
 */
export class NodeDirSink implements DirSink {
  /** `quintet local`: per target path, the source file whose bits and times the new file takes (metadataKept: how). */
  metadataFrom: ReadonlyMap<string, string> | null = null;
  readonly metadataKept = new Map<string, string | null>();
  /**
   * How written files and changed names are made durable (durable.ts): each staged file's data is synced before its
   * rename, each directory whose entries changed once at `flush()`. null: neither (`quintet --no-fsync`: faster, and
   * a power cut may leave an empty file at a final name). Tests wrap the real calls to count them or make them fail.
   */
  sync: SyncCalls | null = nodeSyncCalls;
  /** Directories whose entries changed since the last flush (absolute). */
  readonly #changedDirs = new Set<string>();
  /** Of those, the ones an item was moved into (a version kept, or put back): synced first. */
  readonly #movedInto = new Set<string>();

  /** The root with one separator after it, what `abs` puts before a relative path. */
  readonly #rootSlash: string;
  /** Where writers stage (once, not a path.join per file written). */
  readonly #stagingDir: string;

  private constructor(
    /** Absolute path of the folder, or of the file for a single-file source. */
    readonly root: string,
    readonly rootKind: EntryKind,
    readonly name: string,
    readonly rootId: RootId, // the folder opened: nothing is made once the root is another (sameRoot)
  ) {
    this.#rootSlash = root.endsWith(sep) ? root : `${root}${sep}`;
    this.#stagingDir = join(root, ...STAGING_DIR.split('/'));
  }

  /**
   * Opens a folder or a single file as a source; throws FsError if it is missing or is neither. A link the user named
   * (a folder on another disk, as Syncthing and rsync allow) is resolved once, here; links inside are never followed.
   */
  static async open(path: string): Promise<NodeDirSink> {
    const named = resolve(path);
    const root = await guard(named, () => realpath(named));
    const s = await guard(root, () => stat(root));
    if (!s.isDirectory() && !s.isFile()) throw new FsError('special', root, 'neither a directory nor a file');
    return new NodeDirSink(root, s.isDirectory() ? 'directory' : 'file', basename(named), { dev: s.dev, ino: s.ino });
  }

  /** Absolute path of a relative one; refuses what core refuses ('..', '\\', NUL …) so nothing escapes the root. */
  abs(path: string): string {
    if (!isValidPath(path)) throw new FsError('invalid-name', path);
    if (this.rootKind === 'file') {
      if (path !== this.name) throw new FsError(path === '' ? 'type-mismatch' : 'not-found', path);
      return this.root;
    }
    // A valid path has no empty, '.' or '..' segment and no '\\': already normal, so no path.join (a hot call: once
    // or twice per file and step).
    if (path === '') return this.root;
    return this.#rootSlash + (sep === '/' ? path : path.replaceAll('/', sep));
  }

  async access(mode: 'read' | 'readwrite', _request: boolean): Promise<AccessState> {
    const wanted = mode === 'read' ? constants.R_OK : constants.R_OK | constants.W_OK;
    // A folder must also be traversable; a lone file's folder must be writable for its staged replacement.
    const dir = this.rootKind === 'directory' ? this.root : dirname(this.root);
    try {
      await access(this.root, wanted);
      if (this.rootKind === 'directory') await access(dir, constants.X_OK);
      else if (mode === 'readwrite') await access(dir, constants.W_OK);
      return 'granted';
    } catch {
      return 'denied';
    }
  }

  async list(path: string): Promise<DirEntryInfo[]> {
    await loopTurn();
    if (this.rootKind === 'file') return path === '' ? [{ name: this.name, kind: 'file' }] : [];
    const abs = this.abs(path);
    // Never list through a link, here or above, even one swapped in during the listing (list-dir.ts).
    this.noLinkAbove(path, true);
    const self = guardSync(path, () => lstatSync(abs));
    if (!self.isDirectory()) throw (await notDataError(abs, self, path)) ?? new FsError('type-mismatch', path);
    const entries = listSameDir(abs, path, self, () => this.noLinkAbove(path, true));
    return entries.map((e) => ({ name: e.name, kind: e.isDirectory() ? 'directory' : 'file' })); // links, specials: their stat says why skipped
  }

  async stat(path: string): Promise<FileStat> {
    const s = await this.#fileStat(path);
    return { size: s.size, mtime: mtimeOf(s), mode: s.mode & 0o777 };
  }

  async kindOf(path: string): Promise<EntryKind | null> {
    await loopTurn();
    if (this.rootKind === 'file') {
      // A lone file's source: '' is its folder, its name the file, any other path nothing (as stat answers).
      if (path === '') return 'directory';
      if (path !== this.name) return null;
    }
    const abs = this.abs(path);
    let s: Stats | undefined;
    try {
      s = lstatSync(abs, { throwIfNoEntry: false });
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOTDIR') return null; // under a file: nothing stands there
      throw nodeError(error, path);
    }
    if (!s) return null;
    if (s.isDirectory()) return 'directory';
    if (s.isFile()) return 'file';
    throw (await notDataError(abs, s, path)) ?? new FsError('special', path);
  }

  async open(path: string): Promise<NodeOpenFile> {
    const abs = this.abs(path);
    this.noLinkAbove(path, true); // else a folder swapped for a link would have an outside file read and served
    const s = await this.#fileStat(path);
    const size = s.size;
    const mtime = mtimeOf(s);
    const ino = s.ino;
    // Like a DOM File: a snapshot that refuses to read once the file changed. A descriptor is held only between the
    // reads of a file read in parts (a large file's blocks: open and close once, not per block), and let go after the
    // read that reaches its end or IDLE_CLOSE_MS without a read (OpenFile has no close), so thousands of open files
    // cost nothing.
    // Made on the first large read: a small file (most of them) never needs one.
    let held: ReturnType<typeof heldHandle> | undefined;
    return {
      size, mtime, ino, absPath: abs,
      read: async (offset, length) => {
        const want = Math.max(0, Math.min(length, size - offset));
        if (want <= SYNC_BYTES) {
          await loopTurn();
          const whole = offset === 0 && want === size;
          const again = whole ? readAgain(abs, path, { ino, size, mtime }) : null;
          if (again) return again;
          const bytes = readSmall(abs, path, { ino, size, mtime }, offset, want);
          if (whole) keepForAgain(abs, { ino, size, mtime, bytes });
          return bytes;
        }
        let last = true;
        const h = (held ??= heldHandle(abs));
        try {
          const handle = await h.take();
          const now = await handle.stat();
          if (!now.isFile()) throw new FsError('special', path, 'no longer a regular file');
          if (now.ino !== ino || now.size !== size || mtimeOf(now) !== mtime) throw new FsError('changed', path);
          noteReadStat(abs, now);
          const buffer = new Uint8Array(want);
          let got = 0;
          while (got < want) {
            const { bytesRead } = await handle.read(buffer, got, want - got, offset + got);
            if (bytesRead === 0) break;
            got += bytesRead;
          }
          last = offset + got >= size;
          return got === want ? buffer : buffer.subarray(0, got);
        } catch (error) {
          throw nodeError(error, path);
        } finally {
          await h.give(last);
        }
      },
    };
  }

  async mkdir(path: string): Promise<void> {
    await loopTurn();
    if (this.rootKind === 'file') throw new FsError('type-mismatch', path, 'a single-file source holds no directories');
    const abs = this.abs(path);
    this.noLinkAbove(path, false);
    sameRoot(this.root, this.rootId);
    try {
      const first = mkdirSync(abs, { recursive: true });
      // Each folder made is a new entry in the one above it.
      if (first !== undefined && this.sync) for (let dir = abs; dir.length >= first.length; dir = dirname(dir)) this.#changedDirs.add(dirname(dir));
    } catch (error) {
      const e = nodeError(error, path);
      throw e.code === 'exists' ? new FsError('type-mismatch', path, e.message, { cause: error }) : e;
    }
  }

  async createWriter(path: string): Promise<FileWriter> {
    await loopTurn();
    if (!isValidName(baseName(path))) throw new FsError('invalid-name', path);
    const target = this.abs(path);
    const from = this.metadataFrom?.get(path);
    const metadata = from === undefined ? {} : { metadataFrom: from, onMetadata: (failure: string | null) => this.metadataKept.set(path, failure) };
    if (this.sync) Object.assign(metadata, { durable: { calls: this.sync, dirs: this.#changedDirs } });
    if (this.rootKind === 'file') return openStagedFile(dirname(this.root), target, path, { makeDir: false, ...metadata });
    // A link standing for the parent (or any folder above) is not followed either: the file would land outside the
    // source. Looked at again just before the rename: the folder may be replaced by a link while the file is written.
    if (parentPath(path) === '') {
      const root = guardSync('', () => lstatSync(this.root));
      if (!root.isDirectory()) throw (await notDataError(this.root, root, '')) ?? new FsError('type-mismatch', '');
    } else this.noLinkAbove(path, true);
    return openStagedFile(this.#stagingDir, target, path, { makeDir: () => sameRoot(this.root, this.rootId), beforeRename: () => this.noLinkAbove(path, true), ...metadata });
  }

  async remove(path: string, options: { recursive: boolean }): Promise<void> {
    if (path === '' || this.rootKind === 'file') throw new FsError('permission-denied', path, 'a source never removes its own root');
    const abs = this.abs(path);
    this.noLinkAbove(path, false);
    const s = await guard(path, () => lstat(abs));
    try {
      if (!s.isDirectory()) await unlink(abs);
      else if (options.recursive) await rm(abs, { recursive: true });
      else await rmdir(abs);
      // A removal lost to a power cut would bring the item back (the next run would take it for a new one).
      if (this.sync) this.#changedDirs.add(dirname(abs));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new FsError('io', path, 'not empty', { cause: error });
      throw nodeError(error, path);
    }
  }

  /** One step within the source that never replaces anything, even an item appearing meanwhile (no-replace.ts). */
  async move(from: string, to: string): Promise<void> {
    if (to === from || to.startsWith(`${from}/`)) throw new FsError('invalid-name', to);
    const src = this.abs(from);
    const dst = this.abs(to);
    this.noLinkAbove(from, false);
    this.noLinkAbove(to, false);
    // Only a name in Quintet's own folder (exactly spelled so: core's versions and staging paths) is given up by
    // unlink(2); a user's file goes by rename(2), so a save landing at its name meanwhile is never the one removed.
    await moveNoReplace(src, dst, from, to, from.startsWith(`${OWN_FOLDER}/`));
    // Both names: a version kept (or put back) must not vanish from both places at a power cut.
    if (this.sync) {
      this.#movedInto.add(dirname(dst));
      this.#changedDirs.add(dirname(src));
    }
  }

  /** link(2): a second name for a file, in one step; refuses to replace anything (it fails on an existing `to`). */
  async link(from: string, to: string): Promise<void> {
    const dst = this.abs(to);
    this.noLinkAbove(from, false);
    this.noLinkAbove(to, false);
    await guard(to, () => link(this.abs(from), dst));
    if (this.sync) this.#movedInto.add(dirname(dst)); // the version's name is made durable before the rename over the old one
  }

  /**
   * Makes every name this sink created, replaced, moved or removed since the last flush survive a power cut: one
   * fsync per changed directory (not one per file), called by the engine at the end of a run, before the run is
   * reported done and its base recorded. Files' data were synced at their commits. Throws an FsError naming the
   * directories that could not be synced; the others are synced all the same.
   */
  async flush(): Promise<void> {
    if (!this.sync || this.#changedDirs.size + this.#movedInto.size === 0) return;
    // Where items were moved to first, then where they left: a file system that makes each folder durable on its own
    // (btrfs's log) never keeps a version's old place emptied, or a new file over it, without the version's new place.
    for (const dir of this.#movedInto) this.#changedDirs.delete(dir);
    const failed = [...(await syncDirs(this.sync, this.#movedInto)), ...(await syncDirs(this.sync, this.#changedDirs))];
    if (failed.length === 0) return;
    const first = failed[0] as { dir: string; error: unknown };
    const rel = (dir: string) => (dir === this.root ? '.' : dir.startsWith(this.#rootSlash) ? dir.slice(this.#rootSlash.length) : dir);
    throw new FsError(nodeError(first.error, rel(first.dir)).code, rel(first.dir), `could not flush ${failed.length === 1 ? 'the folder' : `${failed.length} folders`} ${failed.map((f) => rel(f.dir)).join(', ')} to disk, so the names written there may not survive a power cut: ${(first.error as Error).message ?? String(first.error)}`, { cause: first.error });
  }

  /** Throws unless every folder above `path` is a real directory (no-link-above.ts). Public for keep-metadata.ts. */
  noLinkAbove(path: string, parentNeeded = false): void {
    if (this.rootKind === 'directory') noLinkAbove((p) => this.abs(p), path, parentNeeded);
  }

  /** lstat of a path that must be a regular file: a directory is a type mismatch, a link or device says why it is skipped. */
  async #fileStat(path: string): Promise<Stats> {
    await loopTurn();
    const abs = this.abs(path);
    const s = guardSync(path, () => lstatSync(abs));
    if (s.isDirectory()) throw new FsError('type-mismatch', path);
    if (!s.isFile()) throw (await notDataError(abs, s, path)) ?? new FsError('special', path);
    return s;
  }
}

/** The bytes read-again.ts kept of this very file, once an lstat shows it unchanged since (else null: read it). */
function readAgain(abs: string, path: string, was: { ino: number; size: number; mtime: number }): Uint8Array | null {
  const bytes = takeAgain(abs, was);
  if (!bytes) return null;
  const now = guardSync(path, () => lstatSync(abs));
  if (!now.isFile()) throw new FsError('special', path, 'no longer a regular file');
  if (now.ino !== was.ino || now.size !== was.size || mtimeOf(now) !== was.mtime) throw new FsError('changed', path);
  noteReadStat(abs, now);
  return bytes;
}

/** One read of at most SYNC_BYTES, synchronously, refusing a file that is no longer the one opened. */
function readSmall(abs: string, path: string, was: { ino: number; size: number; mtime: number }, offset: number, want: number): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(abs, READ_FLAGS);
    const now = fstatSync(fd);
    if (!now.isFile()) throw new FsError('special', path, 'no longer a regular file');
    if (now.ino !== was.ino || now.size !== was.size || mtimeOf(now) !== was.mtime) throw new FsError('changed', path);
    noteReadStat(abs, now);
    const buffer = new Uint8Array(want);
    let got = 0;
    while (got < want) {
      const n = readSync(fd, buffer, got, want - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return got === want ? buffer : buffer.subarray(0, got);
  } catch (error) {
    throw nodeError(error, path);
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // read-only descriptor: nothing to lose
      }
    }
  }
}
