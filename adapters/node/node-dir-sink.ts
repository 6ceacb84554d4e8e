/** DirSink over node:fs: a directory (or a single file) on disk; never follows a symbolic link. */
import { access, constants, lstat, mkdir, open, readdir, readlink, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { AccessState, DirEntryInfo, DirSink, EntryKind, FileStat, FileWriter, OpenFile } from '../../core/ports.ts';
import { FsError } from '../../core/errors.ts';
import { baseName, isValidName, isValidPath, parentPath } from '../../core/paths.ts';
import { guard, nodeError } from './node-errors.ts';
import { openStagedFile, STAGING_DIR } from './staged-file.ts';

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

/**
 * Why an entry that is neither a regular file nor a directory is skipped: 'link' (never followed: the target may lie
 * outside the source, or loop) or 'special' (FIFO, socket, device: no content a sync can copy).
 */
export async function notDataError(abs: string, s: Stats, path: string): Promise<FsError | null> {
  if (s.isSymbolicLink()) {
    const to = await readlink(abs).catch(() => '?');
    const target = await stat(abs).catch(() => null);
    const what = !target ? 'dangling symbolic link' : target.isDirectory() ? 'symbolic link to a directory' : target.isFile() ? 'symbolic link to a file' : 'symbolic link to a special file';
    return new FsError('link', path, `${what} (${to}), not followed`);
  }
  if (s.isFIFO()) return new FsError('special', path, 'FIFO (named pipe), not copied');
  if (s.isSocket()) return new FsError('special', path, 'socket, not copied');
  if (s.isCharacterDevice() || s.isBlockDevice()) return new FsError('special', path, 'device, not copied');
  return null;
}

/** A read descriptor let go this long after the last read of a file read in parts. */
const IDLE_CLOSE_MS = 50;

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

/** A source on disk. `NodeDirSink.open(dir)` checks the root; paths are relative and '/'-separated as the ports say. */
export class NodeDirSink implements DirSink {
  /** Whether `.quintet/tmp/` was made by this sink (createWriter). */
  #staging = false;

  private constructor(
    /** Absolute path of the folder, or of the file for a single-file source. */
    readonly root: string,
    readonly rootKind: EntryKind,
    readonly name: string,
  ) {}

  /** Opens a folder or a single file as a source; throws FsError if it is missing or is neither. */
  static async open(path: string): Promise<NodeDirSink> {
    const root = resolve(path);
    const s = await guard(root, () => stat(root));
    if (!s.isDirectory() && !s.isFile()) throw new FsError('special', root, 'neither a directory nor a file');
    return new NodeDirSink(root, s.isDirectory() ? 'directory' : 'file', basename(root));
  }

  /** Absolute path of a relative one; refuses what core refuses ('..', '\\', NUL …) so nothing escapes the root. */
  abs(path: string): string {
    if (!isValidPath(path)) throw new FsError('invalid-name', path);
    if (this.rootKind === 'file') {
      if (path !== this.name) throw new FsError(path === '' ? 'type-mismatch' : 'not-found', path);
      return this.root;
    }
    return path === '' ? this.root : join(this.root, ...path.split('/'));
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
    if (this.rootKind === 'file') return path === '' ? [{ name: this.name, kind: 'file' }] : [];
    const abs = this.abs(path);
    // Never list through a link: its target may lie outside the source.
    const self = await guard(path, () => lstat(abs));
    if (!self.isDirectory()) throw (await notDataError(abs, self, path)) ?? new FsError('type-mismatch', path);
    const entries = await guard(path, () => readdir(abs, { withFileTypes: true }));
    // Links and special files are listed as files: their stat then says why they are skipped (walk records it).
    return entries.map((e) => ({ name: e.name, kind: e.isDirectory() ? 'directory' : 'file' }));
  }

  async stat(path: string): Promise<FileStat> {
    const s = await this.#fileStat(path);
    return { size: s.size, mtime: mtimeOf(s), mode: s.mode & 0o777 };
  }

  async open(path: string): Promise<NodeOpenFile> {
    const abs = this.abs(path);
    const s = await this.#fileStat(path);
    const size = s.size;
    const mtime = mtimeOf(s);
    const ino = s.ino;
    // Like a DOM File: a snapshot that refuses to read once the file changed. A descriptor is held only between the
    // reads of a file read in parts (a large file's blocks: open and close once, not per block), and let go after the
    // read that reaches its end or IDLE_CLOSE_MS without a read (OpenFile has no close), so thousands of open files
    // cost nothing.
    const held = heldHandle(abs);
    return {
      size, mtime, ino, absPath: abs,
      read: async (offset, length) => {
        const want = Math.max(0, Math.min(length, size - offset));
        let last = true;
        try {
          const handle = await held.take();
          const now = await handle.stat();
          if (!now.isFile()) throw new FsError('special', path, 'no longer a regular file');
          if (now.ino !== ino || now.size !== size || mtimeOf(now) !== mtime) throw new FsError('changed', path);
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
          await held.give(last);
        }
      },
    };
  }

  async mkdir(path: string): Promise<void> {
    if (this.rootKind === 'file') throw new FsError('type-mismatch', path, 'a single-file source holds no directories');
    const abs = this.abs(path);
    try {
      await mkdir(abs, { recursive: true });
    } catch (error) {
      const e = nodeError(error, path);
      throw e.code === 'exists' ? new FsError('type-mismatch', path, e.message, { cause: error }) : e;
    }
  }

  async createWriter(path: string): Promise<FileWriter> {
    if (!isValidName(baseName(path))) throw new FsError('invalid-name', path);
    const target = this.abs(path);
    if (this.rootKind === 'file') return openStagedFile(dirname(this.root), target, path);
    const parentAbs = this.abs(parentPath(path));
    const parent = await guard(parentPath(path), () => lstat(parentAbs));
    // A link standing for the parent is not followed either: the file would land outside the source.
    if (!parent.isDirectory()) throw (await notDataError(parentAbs, parent, parentPath(path))) ?? new FsError('type-mismatch', parentPath(path));
    const staging = join(this.root, ...STAGING_DIR.split('/'));
    // The staging folder is made once, not before every file (thousands of small files); made again if it went away.
    if (this.#staging) {
      try {
        return await openStagedFile(staging, target, path);
      } catch (error) {
        if (!(error instanceof FsError && error.code === 'not-found')) throw error;
      }
    }
    await guard(path, () => mkdir(staging, { recursive: true }));
    this.#staging = true;
    return openStagedFile(staging, target, path);
  }

  async remove(path: string, options: { recursive: boolean }): Promise<void> {
    if (path === '' || this.rootKind === 'file') throw new FsError('permission-denied', path, 'a source never removes its own root');
    const abs = this.abs(path);
    const s = await guard(path, () => lstat(abs));
    try {
      if (!s.isDirectory()) await unlink(abs);
      else if (options.recursive) await rm(abs, { recursive: true });
      else await rmdir(abs);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new FsError('io', path, 'not empty', { cause: error });
      throw nodeError(error, path);
    }
  }

  /** rename(2): one step within the source; refuses to replace anything (rename would, silently). */
  async move(from: string, to: string): Promise<void> {
    if (to === from || to.startsWith(`${from}/`)) throw new FsError('invalid-name', to);
    const src = this.abs(from);
    const dst = this.abs(to);
    await guard(from, () => lstat(src));
    if (await lstat(dst).then(() => true, () => false)) throw new FsError('exists', to);
    await guard(to, () => rename(src, dst));
  }

  /** lstat of a path that must be a regular file: a directory is a type mismatch, a link or device says why it is skipped. */
  async #fileStat(path: string): Promise<Stats> {
    const abs = this.abs(path);
    const s = await guard(path, () => lstat(abs));
    if (s.isDirectory()) throw new FsError('type-mismatch', path);
    if (!s.isFile()) throw (await notDataError(abs, s, path)) ?? new FsError('special', path);
    return s;
  }
}
