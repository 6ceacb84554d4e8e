/** An OpenFile over a File snapshot; the worker hasher recognizes it and hashes the Blob off the main thread. */
import type { OpenFile } from '../../core/ports.ts';
import { guard } from './fsa-errors.ts';

export class BlobFile implements OpenFile {
  constructor(
    readonly blob: File,
    readonly path: string,
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
    return guard(this.path, async () => new Uint8Array(await (whole ? this.blob : this.blob.slice(offset, offset + length)).arrayBuffer()));
  }
}
