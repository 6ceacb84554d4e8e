/**
 * Reads of an OPFS file through a read-only FileSystemSyncAccessHandle (Chrome ≥ 121, dedicated workers only), for the
 * hash worker and the write worker's copies. `read(buffer, { at })` copies from the file in this thread, with no call to
 * the browser process per read: 256 MiB read in 13–21 ms against 134–350 ms through Blob reads, with almost none of
 * Chrome's browser-process CPU (bench/local/opfs-reads.ts, bench/README.md "Local mirror: OPFS").
 *
 * A handle reads the file as it is now, where a File snapshot's read fails once the file changed (NotReadableError,
 * mapped to 'changed'): `unchanged()` compares a fresh getFile()'s size and time with the snapshot's after the reads,
 * and fails the same way. Whoever cannot have a read-only handle (a folder on disk, a browser without the mode, a file a
 * writer holds) gets null and reads the Blob as before.
 */

/** Files up to this size are read by one Blob read: a handle costs three calls (open, getFile, close) against one. */
export const SYNC_MIN = 1024 * 1024;

interface ReadOnlyAccess {
  readonly mode?: string;
  read(buffer: Uint8Array, options: { at: number }): number;
  getSize(): number;
  close(): void;
}

interface ModeFileHandle {
  createSyncAccessHandle(options: { mode: 'read-only' }): Promise<ReadOnlyAccess>;
}

/**
 * Whether handles here know their mode: a Chrome before 121 ignores `{ mode: 'read-only' }` and opens a readwrite
 * handle, whose exclusive lock would keep the user's own saves out during the read. Such a browser never opens one.
 */
const SyncAccess = (globalThis as { FileSystemSyncAccessHandle?: { prototype: object } }).FileSystemSyncAccessHandle;
const hasReadOnlyMode = SyncAccess !== undefined && 'mode' in SyncAccess.prototype;

function changed(message: string): Error {
  return Object.assign(new Error(message), { name: 'NotReadableError' });
}

export class SyncReader {
  private constructor(
    private readonly access: ReadOnlyAccess,
    private readonly handle: FileSystemFileHandle,
    private readonly snapshot: File,
  ) {}

  /**
   * A reader of `handle`'s file, which `snapshot` was taken of, or null when no read-only handle can be had (the caller
   * reads the snapshot instead). Fails as a stale snapshot's read does if the file's size already moved.
   */
  static async open(handle: FileSystemFileHandle | undefined, snapshot: Blob): Promise<SyncReader | null> {
    if (!handle || !hasReadOnlyMode || !(snapshot instanceof File) || snapshot.size <= SYNC_MIN) return null;
    let access: ReadOnlyAccess;
    try {
      access = await (handle as unknown as ModeFileHandle).createSyncAccessHandle({ mode: 'read-only' });
    } catch {
      return null; // not in OPFS, not allowed here, or locked by a writer (NoModificationAllowedError): the Blob path
    }
    if (access.mode !== 'read-only') {
      access.close();
      return null;
    }
    const reader = new SyncReader(access, handle, snapshot);
    if (access.getSize() !== snapshot.size) {
      reader.close();
      throw changed(`${access.getSize()} bytes, ${snapshot.size} at the snapshot`);
    }
    return reader;
  }

  /** Fills `into` with the bytes at `at`; a file that ends early fails as 'changed'. */
  read(into: Uint8Array, at: number): void {
    let filled = 0;
    while (filled < into.byteLength) {
      const n = this.access.read(into.subarray(filled), { at: at + filled });
      if (n <= 0) throw changed(`${filled} bytes read of ${into.byteLength} at ${at}`);
      filled += n;
    }
  }

  /** Fails as 'changed' unless the file still has the snapshot's size and time: call it after the reads it vouches for. */
  async unchanged(): Promise<void> {
    const now = await this.handle.getFile();
    if (now.size !== this.snapshot.size || now.lastModified !== this.snapshot.lastModified) {
      throw changed(`changed while read: ${now.size} bytes at ${now.lastModified}, ${this.snapshot.size} at ${this.snapshot.lastModified} at the snapshot`);
    }
  }

  close(): void {
    try {
      this.access.close();
    } catch {
      /* already closed */
    }
  }
}

/**
 * One buffer for every piece: a piece is read and used (hashed, written) without a pause, so none overlaps another. A
 * block's size (256 KiB), not a range's: read, hashed and written while it stays in the core's cache, where an 8 MiB
 * range left it in memory between the three passes.
 */
let shared = new Uint8Array(0);

/** Consecutive ranges of an OPFS file for workers/opfs-write-worker.ts, as BlobRanges reads them from a snapshot. */
export class SyncRanges {
  constructor(private readonly reader: SyncReader) {}

  /**
   * Calls `use` with each piece of at most `piece` bytes of [start, end) in order and its place in the file, a view
   * valid only during the call, then checks the file is still the snapshot's.
   */
  async read(start: number, end: number, piece: number, use: (bytes: Uint8Array<ArrayBuffer>, at: number) => void): Promise<void> {
    if (shared.byteLength < Math.min(piece, end - start)) shared = new Uint8Array(Math.min(piece, end - start));
    for (let at = start; at < end; at += piece) {
      const bytes = shared.subarray(0, Math.min(piece, end - at));
      this.reader.read(bytes, at);
      use(bytes, at);
    }
    await this.reader.unchanged();
  }

  close(): void {
    this.reader.close();
  }
}
