/**
 * Consecutive ranges of a Blob read through one byte stream into reused buffers, for workers/opfs-write-worker.ts.
 * Measured in a worker (Chromium 156, 256 MiB in OPFS): `Blob.slice().arrayBuffer()` per 8 MiB took 410 ms and 0.5 s
 * of CPU, the BYOB stream 130 ms and 0.25 s (no fresh buffer, and its page faults, per read).
 */

/** Files up to this size copied in one range are read whole, without a stream. */
const WHOLE = 1024 * 1024;
/** Buffers kept for reuse, each RANGE_BUFFER bytes. */
const RANGE_BUFFER = 8 * 1024 * 1024;
const free: ArrayBuffer[] = [];
const FREE_MAX = 8;

function take(length: number): ArrayBuffer {
  return length <= RANGE_BUFFER ? (free.pop() ?? new ArrayBuffer(RANGE_BUFFER)) : new ArrayBuffer(length);
}

function give(buffer: ArrayBuffer): void {
  // A buffer a failed read kept (detached) is lost: a fresh one replaces it.
  if (buffer.byteLength === RANGE_BUFFER && free.length < FREE_MAX) free.push(buffer);
}

export class BlobRanges {
  #reader: ReadableStreamBYOBReader | null = null;
  /** Where the stream stands in the blob. */
  #at = 0;
  /** Reads of one blob go one after the other (one stream). */
  #turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly blob: Blob) {}

  /**
   * Calls `use` with each piece of at most `piece` bytes of [start, end) in order and its place in the file, views valid
   * only during the call. Ranges asked in order continue the same stream; another start opens a new one there. A blob
   * that ends early (its file changed) fails with NotReadableError, as a stale File's read does.
   */
  read(start: number, end: number, piece: number, use: (bytes: Uint8Array<ArrayBuffer>, at: number) => void): Promise<void> {
    const pieces = (bytes: Uint8Array<ArrayBuffer>) => {
      for (let at = 0; at < bytes.byteLength; at += piece) use(bytes.subarray(at, Math.min(bytes.byteLength, at + piece)), start + at);
    };
    const run = this.#turn.then(() => this.#read(start, end, pieces));
    this.#turn = run.catch(() => undefined);
    return run;
  }

  async #read<T>(start: number, end: number, use: (bytes: Uint8Array<ArrayBuffer>) => T): Promise<T> {
    if (start === 0 && end === this.blob.size && end <= WHOLE) {
      // A small file in one range: one read, no stream to set up (the cheapest read of a small OPFS file).
      const bytes = new Uint8Array(await this.blob.arrayBuffer());
      if (bytes.byteLength !== end) throw Object.assign(new Error(`${bytes.byteLength} bytes read of ${end}`), { name: 'NotReadableError' });
      return use(bytes);
    }
    if (this.#reader === null || this.#at !== start) {
      this.close();
      this.#reader = (start === 0 ? this.blob : this.blob.slice(start)).stream().getReader({ mode: 'byob' });
      this.#at = start;
    }
    const length = end - start;
    let buffer = take(length);
    let filled = 0;
    try {
      while (filled < length) {
        const { done, value } = await this.#reader.read(new Uint8Array(buffer, filled, length - filled));
        if (value) buffer = value.buffer as ArrayBuffer; // the read hands the (transferred) buffer back
        if (done || !value) break;
        filled += value.byteLength;
      }
      this.#at += filled;
      if (filled !== length) throw Object.assign(new Error(`${filled} bytes read of ${length} at ${start}`), { name: 'NotReadableError' });
      return use(new Uint8Array(buffer, 0, length));
    } catch (error) {
      this.close(); // the stream's place is unknown now
      throw error;
    } finally {
      give(buffer);
    }
  }

  close(): void {
    this.#reader?.cancel().catch(() => undefined);
    this.#reader = null;
  }
}
