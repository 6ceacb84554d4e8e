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
    return guard(this.path, async () => new Uint8Array(await this.blob.slice(offset, offset + length).arrayBuffer()));
  }
}
