/** An OpenFile over a File snapshot; the worker hasher recognizes it and hashes the Blob off the main thread. */
import type { OpenFile } from '../../core/ports.ts';
import { guard } from './fsa-errors.ts';

/**
 * Bytes read at once when a file is read in order (a copy's blocks, 128 KiB – 8 MiB): each Blob.slice() is a call to
 * the browser process (measured: 0.5 ms a slice and 0.3 ms its read under load, 3 s of main thread for 1 GiB in 256 KiB
 * blocks), so blocks come from 8 MiB windows, the next one read while the current one is used.
 */
const WINDOW = 8 * 1024 * 1024;

/**
 * Ends of the last reads remembered: a read starting at one of them continues an in-order pass. Several, because one
 * BlobFile may serve interleaved passes (a block server answers a peer's requests for one file side by side,
 * FsaDirSink.open handing them the same BlobFile).
 */
const ENDS = 4;

export class BlobFile implements OpenFile {
  /** Where the last reads ended, newest last: a read starting there is part of an in-order pass (windows pay off). */
  #ends: number[] = [];
  /** At most two windows: the one in use and the one read ahead. */
  #windows: Array<{ start: number; end: number; bytes: Promise<ArrayBuffer> }> = [];

  /**
   * @param bytes the file's bytes already read (by the inventory, for the copy that follows), if any
   * @param keep where the hasher hands the bytes it read, when the source keeps them (FsaDirSink's read cache)
   * @param source the handle of the OPFS file `blob` is a snapshot of: a worker that reads the whole file (hashing,
   *   copyFrom) reads it through a read-only sync handle, much cheaper than Blob reads (workers/sync-read.ts)
   */
  constructor(
    readonly blob: File,
    readonly path: string,
    private readonly bytes?: Uint8Array,
    readonly keep?: (bytes: Uint8Array) => void,
    readonly source?: FileSystemFileHandle,
  ) {}

  get size(): number {
    return this.blob.size;
  }

  get mtime(): number {
    return this.blob.lastModified;
  }

  /** Whether the file's bytes are already in this page (kept from the inventory): reading it costs no call. */
  get inMemory(): boolean {
    return this.bytes !== undefined;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    // The whole file is read without slice(): Blob.slice().arrayBuffer() costs 2.6× Blob.arrayBuffer() on small OPFS
    // files (workers/hash-worker.ts), and a small file's copy reads it whole.
    const whole = offset === 0 && length >= this.blob.size;
    if (whole && this.bytes) return Promise.resolve(this.bytes);
    const inOrder = this.#ends.includes(offset);
    this.#ends.push(offset + length);
    if (this.#ends.length > ENDS) this.#ends.shift();
    if (!whole && length < WINDOW && (inOrder || this.#windowAt(offset, length))) {
      const bytes = guard(this.path, () => this.#fromWindow(offset, length));
      // The pass reached the end: its windows are let go (an open file may be kept for the next request, FsaDirSink).
      if (offset + length >= this.blob.size) this.#windows = [];
      return bytes;
    }
    return guard(this.path, async () => new Uint8Array(await (whole ? this.blob : this.blob.slice(offset, offset + length)).arrayBuffer()));
  }

  #windowAt(offset: number, length: number) {
    return this.#windows.find((w) => w.start <= offset && offset + length <= w.end);
  }

  #window(start: number) {
    const end = Math.min(this.blob.size, start + WINDOW);
    const w = { start, end, bytes: this.blob.slice(start, end).arrayBuffer() };
    w.bytes.catch(() => undefined); // a window read ahead and never used must not be an unhandled rejection
    this.#windows.push(w);
    if (this.#windows.length > 2) this.#windows.shift();
    return w;
  }

  async #fromWindow(offset: number, length: number): Promise<Uint8Array> {
    const w = this.#windowAt(offset, length) ?? this.#window(offset);
    // Read the next window while this one is used (if the file goes on and it is not read yet).
    if (w.end < this.blob.size && !this.#windows.some((x) => x.start === w.end)) this.#window(w.end);
    const bytes = await w.bytes;
    const at = offset - w.start;
    // Past the end of the file the answer is short, as slice() would make it.
    return new Uint8Array(bytes, at, Math.max(0, Math.min(length, bytes.byteLength - at)));
  }
}
