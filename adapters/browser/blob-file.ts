/** An OpenFile over a File snapshot; the worker hasher recognizes it and hashes the Blob off the main thread. */
import type { OpenFile } from '../../core/ports.ts';
import { guard } from './fsa-errors.ts';

export class BlobFile implements OpenFile {
  /**
   * @param bytes the file's bytes already read (by the inventory, for the copy that follows), if any
   * @param keep where the hasher hands the bytes it read, when the source keeps them (FsaDirSink's read cache)
   */
  constructor(
    readonly blob: File,
    readonly path: string,
    private readonly bytes?: Uint8Array,
    readonly keep?: (bytes: Uint8Array) => void,
  ) {}

  get size(): number {
    return this.blob.size;
  }

  get mtime(): number {
    return this.blob.lastModified;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    // The whole file is read without slice(): Blob.slice().arrayBuffer() costs 2.6× Blob.arrayBuffer() on small OPFS
    // files (workers/hash-worker.ts), and a small file's copy reads it whole.
    const whole = offset === 0 && length >= this.blob.size;
    if (whole && this.bytes) return Promise.resolve(this.bytes);
    return guard(this.path, async () => new Uint8Array(await (whole ? this.blob : this.blob.slice(offset, offset + length)).arrayBuffer()));
  }
}
