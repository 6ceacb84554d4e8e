/** BlobDecoder port for the browser: one Web Worker behind comlink decodes peers' blobs off the page's main thread. */
import * as Comlink from 'comlink';
import type { BlobDecoder } from '../../core/ports.ts';
import type { BlobWorkerApi } from '../../workers/blob-worker.ts';

/** Decodes in a worker started on first use; the blob's bytes are transferred, not copied. */
export class WorkerBlobDecoder implements BlobDecoder {
  #api: Comlink.Remote<BlobWorkerApi> | null = null;
  #worker: Worker | null = null;

  decode(bytes: Uint8Array): Promise<unknown> {
    if (!this.#api) {
      this.#worker = new Worker(new URL('../../workers/blob-worker.ts', import.meta.url), { type: 'module', name: 'quintet-blob' });
      this.#api = Comlink.wrap<BlobWorkerApi>(this.#worker);
    }
    // A subarray cannot be transferred alone: copy it out first (the collector's blobs are whole buffers already).
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    return this.#api.decode(Comlink.transfer(own, [own.buffer as ArrayBuffer]));
  }

  /** Stops the worker (a decode in flight rejects). */
  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#api = null;
  }
}
