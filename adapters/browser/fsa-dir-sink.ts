/** DirSink over a File System Access handle: a picked directory, or a single picked file. */
import type { AccessState, DirEntryInfo, DirSink, FileStat, FileWriter, OpenFile } from '../../core/ports.ts';
import { FsError } from '../../core/errors.ts';
import { BlobFile } from './blob-file.ts';
import { fsaError, guard } from './fsa-errors.ts';
import { StagedWriter, STAGING_DIR } from './staged-writer.ts';
import { OpfsWriter, forgetInWorker, opfsRootFor, opfsWriterUsable } from './opfs-writer.ts';
import { stagedName } from './staged-name.ts';
import { SYNC_MIN } from '../../workers/sync-read.ts';
import { moveFile, moveTree } from './fsa-move.ts';

type Handle = FileSystemDirectoryHandle | FileSystemFileHandle;

// Chrome types these permission methods only behind a flag in lib.dom; they ship in every Chrome with FSA.
interface PermissionHandle {
  queryPermission(options: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
  requestPermission(options: { mode: 'read' | 'readwrite' }): Promise<PermissionState>;
}

/**
 * Files larger than this (served in several requests, MAX_REQUEST_BYTES) opened again with the same size and time get
 * the same BlobFile, read windows included: a block server opens the file once per request, and each fresh BlobFile
 * read an 8 MiB window and another ahead for a 1 MiB request (16× the bytes through the browser process). The last
 * REUSE_FILES such files are kept.
 */
const REUSE_BYTES = 1024 * 1024;
const REUSE_FILES = 4;

/** Largest file whose bytes a `keepReads` folder keeps from the inventory, and the most it keeps in all. */
const KEEP_FILE = 64 * 1024;
const KEEP_TOTAL = 32 * 1024 * 1024;

/** Names of the root's last listing looked for before anything is made at the root (#rootHolds). */
const ROOT_SAMPLE = 4;

function segments(path: string): string[] {
  return path === '' ? [] : path.split('/');
}

function parentOf(path: string): [string, string] {
  const at = path.lastIndexOf('/');
  return at < 0 ? ['', path] : [path.slice(0, at), path.slice(at + 1)];
}

/**
 * A source chosen with showDirectoryPicker / showOpenFilePicker. Handles met while listing are cached by path, and
 * the File snapshot taken by `stat` is handed to the next `open` of that path: on many small files every IPC to the
 * browser process counts (an inventory would otherwise resolve each file four times). A snapshot is safe to reuse:
 * reading it after the file changed fails with NotReadableError, which maps to 'changed'.
 */
export class FsaDirSink implements DirSink {
  readonly rootKind: 'file' | 'directory';
  readonly name: string;
  #dirs = new Map<string, FileSystemDirectoryHandle>();
  #files = new Map<string, FileSystemFileHandle>();
  #snapshots = new Map<string, File>();
  /** Large files opened lately, by path, oldest first (REUSE_FILES). */
  #opened = new Map<string, BlobFile>();
  /** Bytes of small files the inventory read, for the copy that follows (`keepReads`); each taken once. */
  #kept = new Map<string, { size: number; mtime: number; bytes: Uint8Array }>();
  #keptBytes = 0;
  readonly #keepReads: boolean;
  /** The OPFS writer's number for this folder, or null on real disk (asked once, on the first write). */
  #opfs: Promise<number | null> | null = null;
  /** Up to ROOT_SAMPLE items the last listing of the root found: a root holding none of them is not that folder. */
  #rootSample: DirEntryInfo[] = [];
  /** Whether this folder lies in the origin private file system (asked once, on the first large file opened). */
  #inOpfs: Promise<boolean> | null = null;

  /**
   * `keepReads` (a Local Session): files up to KEEP_FILE bytes hashed by the inventory keep their bytes, up to KEEP_TOTAL
   * in all, so a copy from this folder costs a metadata call (is it still the file read?) instead of a read.
   */
  constructor(readonly handle: Handle, options: { keepReads?: boolean } = {}) {
    this.#keepReads = options.keepReads === true;
    this.rootKind = handle.kind;
    this.name = handle.name;
    if (handle.kind === 'directory') this.#dirs.set('', handle);
  }

  async access(mode: 'read' | 'readwrite', request: boolean): Promise<AccessState> {
    const h = this.handle as unknown as PermissionHandle;
    try {
      let state = await h.queryPermission({ mode });
      if (state === 'prompt' && request) state = await h.requestPermission({ mode });
      return state;
    } catch {
      return 'denied';
    }
  }

  async list(path: string): Promise<DirEntryInfo[]> {
    if (this.handle.kind === 'file') return path === '' ? [{ name: this.handle.name, kind: 'file' }] : [];
    const dir = await this.#dir(path, false);
    return guard(path, async () => {
      const out: DirEntryInfo[] = [];
      // A new walk from the root starts from fresh snapshots.
      if (path === '') {
        this.#snapshots.clear();
        this.#kept.clear();
        this.#keptBytes = 0;
      }
      for await (const [name, child] of dir.entries()) {
        const childPath = path === '' ? name : `${path}/${name}`;
        if (child.kind === 'directory') this.#dirs.set(childPath, child as FileSystemDirectoryHandle);
        else this.#files.set(childPath, child as FileSystemFileHandle);
        out.push({ name, kind: child.kind });
      }
      if (path === '') this.#rootSample = out.slice(0, ROOT_SAMPLE);
      return out;
    });
  }

  async stat(path: string): Promise<FileStat> {
    const file = await this.#getFile(path);
    this.#snapshots.set(path, file);
    return { size: file.size, mtime: file.lastModified };
  }

  release(path: string): void {
    this.#snapshots.delete(path);
  }

  async open(path: string): Promise<OpenFile> {
    const snapshot = this.#snapshots.get(path);
    this.#snapshots.delete(path);
    const file = snapshot ?? (await this.#getFile(path));
    const reused = this.#reuse(path, file);
    if (reused) return reused;
    const source = await this.#source(path, file);
    if (snapshot) return this.#keepOpen(path, new BlobFile(snapshot, path, undefined, this.#keeper(path, snapshot), source));
    const kept = this.#kept.get(path);
    if (kept) this.#drop(path);
    // The bytes kept are this file's only while it has the size and time of the snapshot they were read from (the
    // same test the engine makes against its plan); otherwise the file is read again.
    const same = kept !== undefined && kept.size === file.size && kept.mtime === file.lastModified;
    return this.#keepOpen(path, new BlobFile(file, path, same ? kept.bytes : undefined, undefined, source));
  }

  /**
   * The handle of a large file of a folder in OPFS, for workers to read it through a read-only sync handle
   * (workers/sync-read.ts); undefined for small files (one Blob read is cheaper) and for folders on disk (no sync handles).
   */
  async #source(path: string, file: File): Promise<FileSystemFileHandle | undefined> {
    if (file.size <= SYNC_MIN) return undefined;
    this.#inOpfs ??= inOpfs(this.handle);
    if (!(await this.#inOpfs)) return undefined;
    return this.handle.kind === 'file' ? (this.handle as FileSystemFileHandle) : this.#files.get(path);
  }

  /**
   * The BlobFile opened last for `path` if the file still has its size and time (REUSE_BYTES). Its snapshot may be of
   * bytes changed since with the same size and time: reading it then fails as 'changed', as any stale snapshot does.
   */
  #reuse(path: string, file: File): BlobFile | undefined {
    const open = this.#opened.get(path);
    if (!open || open.size !== file.size || open.mtime !== file.lastModified) return undefined;
    this.#opened.delete(path);
    this.#opened.set(path, open); // the newest again
    return open;
  }

  #keepOpen(path: string, open: BlobFile): BlobFile {
    this.#opened.delete(path);
    if (open.size <= REUSE_BYTES) return open;
    this.#opened.set(path, open);
    if (this.#opened.size > REUSE_FILES) this.#opened.delete(this.#opened.keys().next().value as string);
    return open;
  }

  #keeper(path: string, snapshot: File): ((bytes: Uint8Array) => void) | undefined {
    if (!this.#keepReads || snapshot.size > KEEP_FILE || this.#keptBytes + snapshot.size > KEEP_TOTAL) return undefined;
    return (bytes) => {
      if (bytes.length !== snapshot.size || this.#keptBytes + bytes.length > KEEP_TOTAL) return;
      this.#drop(path);
      this.#kept.set(path, { size: snapshot.size, mtime: snapshot.lastModified, bytes });
      this.#keptBytes += bytes.length;
    };
  }

  #drop(path: string): void {
    const kept = this.#kept.get(path);
    if (!kept) return;
    this.#kept.delete(path);
    this.#keptBytes -= kept.bytes.length;
  }

  async mkdir(path: string): Promise<void> {
    if (this.handle.kind === 'file') throw new FsError('type-mismatch', path, 'a single-file source holds no directories');
    await this.#dir(path, true);
  }

  async createWriter(path: string): Promise<FileWriter> {
    this.#opened.delete(path); // what is read of this path next is the new file
    if (this.handle.kind === 'file') {
      if (path !== this.handle.name) throw new FsError('type-mismatch', path, 'a single-file source holds only itself');
      // No staging folder next to a lone file: Chrome's swap file makes the replacement atomic on close().
      const writable = await guard(path, () => (this.handle as FileSystemFileHandle).createWritable({ keepExistingData: false }));
      return swapWriter(writable, path);
    }
    const [parent, name] = parentOf(path);
    this.#drop(path); // bytes kept for this path stop being its bytes
    this.#opfs ??= opfsRootFor(this.handle as FileSystemDirectoryHandle);
    const root = await this.#opfs;
    if (root !== null && opfsWriterUsable()) {
      // The parent must exist, as on disk (the worker resolves it again for the move, from its own handles).
      await this.#dir(parent, false);
      this.#snapshots.delete(path);
      const writer = new OpfsWriter(root, STAGING_DIR, stagedName(nextStem(), name), parent, name, path);
      return {
        write: (chunk) => writer.write(chunk),
        copyFrom: (file, start, end, blockSize) => writer.copyFrom(file, start, end, blockSize),
        abort: () => writer.abort(),
        flush: () => writer.flush(),
        commit: async () => {
          this.#snapshots.delete(path);
          const stat = await writer.commit();
          this.#snapshots.delete(path);
          this.#files.delete(path); // the handle cached for `path` may name the file this one replaced
          return stat;
        },
      };
    }
    const dir = await this.#dir(parent, false);
    const staging = await this.#dir(STAGING_DIR, true);
    const writer = await StagedWriter.open({ staging, dir, name, path });
    // A snapshot taken before the commit would read as 'changed' afterwards: forget it on both sides of the commit.
    this.#snapshots.delete(path);
    return {
      write: (chunk) => writer.write(chunk),
      abort: () => writer.abort(),
      flush: () => writer.flush(),
      commit: async () => {
        this.#snapshots.delete(path);
        await writer.commit();
        this.#snapshots.delete(path);
      },
    };
  }

  async remove(path: string, options: { recursive: boolean }): Promise<void> {
    if (this.handle.kind === 'file') throw new FsError('type-mismatch', path, 'a single-file source cannot remove itself');
    const [parent, name] = parentOf(path);
    const dir = await this.#dir(parent, false);
    await guard(path, () => dir.removeEntry(name, { recursive: options.recursive })).catch(async (error: unknown) => {
      if (parent === '' && fsaError(error, path).code === 'not-found') await this.#rootHolds();
      throw error;
    });
    this.#forget(path);
  }

  /**
   * Moves a file in one step with FileSystemHandle.move() (or, in a Chrome without it, by copy then remove). A directory
   * goes file by file into the same tree made at `to` (Chrome has no move() for directories), then each emptied folder is
   * removed, deepest first, never recursively: an item the browser does not list (a link, a name it refuses) or one saved
   * there meanwhile makes that removal fail ('changed') and stays where it is, instead of being erased unkept.
   */
  async move(from: string, to: string): Promise<void> {
    const [fromParent, fromName] = parentOf(from);
    const [toParent, toName] = parentOf(to);
    const source = await this.#dir(fromParent, false);
    const target = await this.#dir(toParent, true);
    // Not found at the root: gone, or the root is no longer the folder (#rootHolds), which a delete must not count as gone.
    const child = await this.#child(source, fromName, from).catch(async (error: unknown) => {
      if (fromParent === '' && fsaError(error, from).code === 'not-found') await this.#rootHolds();
      throw error;
    });
    try {
      if (child.kind === 'file') await moveFile(child as FileSystemFileHandle, source, fromName, target, toName, from, to);
      else await moveTree(child as FileSystemDirectoryHandle, source, fromName, target, toName, from, to);
    } finally {
      // move() re-points handle objects to their new place: the cache must not keep them for `from`.
      this.#forget(from);
    }
  }

  /**
   * Throws 'not-found' for the whole folder (path '') unless its root still holds one of the items its last listing
   * found there (or it listed none). A handle on disk names a path: with the disk unmounted it is the empty mount point,
   * and what a run made at its root (a file, a folder, Quintet's own) landed on the system disk while the run said done.
   * Below the root, cached folder handles (staging's too) then fail as not found on their own. One look a folder made there.
   */
  async #rootHolds(): Promise<void> {
    if (this.handle.kind !== 'directory' || this.#rootSample.length === 0) return;
    const root = this.handle;
    for (const { name, kind } of this.#rootSample) {
      const look = kind === 'file' ? root.getFileHandle(name) : root.getDirectoryHandle(name);
      // Anything but "not there" (a permission refused) is not this check's to say: the write itself will fail.
      if (await look.then(() => true, (error: { name?: string }) => error?.name !== 'NotFoundError' && error?.name !== 'TypeMismatchError')) return;
    }
    throw new FsError('not-found', '', `${this.name} no longer holds what it held when listed (its disk unmounted?): nothing is written there`);
  }

  /** Drops cached handles and snapshots at and under a path that was removed or moved away. */
  #forget(path: string): void {
    if (!path.includes('/')) this.#rootSample = this.#rootSample.filter((e) => e.name !== path); // moved away by us
    void this.#opfs?.then((root) => root !== null && forgetInWorker(root, path));
    for (const key of [...this.#kept.keys()]) if (key === path || key.startsWith(`${path}/`)) this.#drop(key);
    for (const cache of [this.#dirs, this.#files, this.#snapshots, this.#opened]) {
      for (const key of [...cache.keys()]) if (key === path || key.startsWith(`${path}/`)) cache.delete(key);
    }
  }

  async #child(dir: FileSystemDirectoryHandle, name: string, path: string): Promise<Handle> {
    try {
      return await dir.getFileHandle(name);
    } catch (error) {
      if ((error as { name?: string }).name !== 'TypeMismatchError') throw fsaError(error, path);
    }
    return guard(path, () => dir.getDirectoryHandle(name));
  }

  async #getFile(path: string): Promise<File> {
    if (this.handle.kind === 'file') {
      if (path !== this.handle.name) throw new FsError('not-found', path);
      const h = this.handle as FileSystemFileHandle;
      return guard(path, () => h.getFile());
    }
    const known = this.#files.get(path);
    if (known) {
      try {
        return await known.getFile();
      } catch {
        this.#files.delete(path); // replaced by a directory, or gone: resolve again from the parent
      }
    }
    const [parent, name] = parentOf(path);
    const dir = await this.#dir(parent, false);
    return guard(path, async () => {
      const handle = await dir.getFileHandle(name);
      this.#files.set(path, handle);
      return handle.getFile();
    });
  }

  async #dir(path: string, create: boolean): Promise<FileSystemDirectoryHandle> {
    const cached = this.#dirs.get(path);
    if (cached) return cached;
    if (this.handle.kind === 'file') throw new FsError('type-mismatch', path);
    let current = this.handle as FileSystemDirectoryHandle;
    let walked = '';
    for (const name of segments(path)) {
      walked = walked === '' ? name : `${walked}/${name}`;
      const known = this.#dirs.get(walked);
      if (known) {
        current = known;
        continue;
      }
      const parent = current;
      if (create && parent === this.handle) await this.#rootHolds();
      current = await guard(walked, () => parent.getDirectoryHandle(name, { create }));
      // What this sink made at the root is looked for too: a run that moved every listed item away still finds it.
      if (create && parent === this.handle && !this.#rootSample.some((e) => e.name === name)) this.#rootSample.push({ name, kind: 'directory' });
      this.#dirs.set(walked, current);
    }
    return current;
  }
}

/** Whether `handle` lies in the origin private file system (its root resolves a path to it). */
async function inOpfs(handle: Handle): Promise<boolean> {
  try {
    const root = await navigator.storage.getDirectory();
    return (await root.resolve(handle)) !== null;
  } catch {
    return false;
  }
}

let stems = 0;
/** A staged file's stem, unique in this page and across pages (time, counter, random). */
function nextStem(): string {
  return `${Date.now().toString(36)}-${(stems++).toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
}

function swapWriter(writable: FileSystemWritableFileStream, path: string): FileWriter {
  return {
    write: (chunk) => guard(path, () => writable.write(chunk as Uint8Array<ArrayBuffer>)),
    commit: () => guard(path, () => writable.close()),
    abort: () => guard(path, () => writable.abort()),
  };
}
