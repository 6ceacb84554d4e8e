/** BlockCodec port for the browser: blocks compressed in a Web Worker (fflate), inflated in the page with fflate's capped inflater. */
import * as Comlink from 'comlink';
import type { BlockCodec } from '../../core/ports.ts';
import { fflateBlockCodec } from '../../core/transfer/block-codec.ts';
import type { BlockWorkerApi } from '../../workers/block-worker.ts';

/**
 * Compressing is the costly half (fflate: tens of MB/s at level 1, several times slower than inflating), so it runs
 * beside the page's own work, on another core. A copy of the block goes to the worker (transferred): the server still
 * sends the original when compressing does not pay. A worker that cannot start or fails leaves the page compressing
 * in its own thread, never a failed block. Inflating stays in the page: it is fast, and its caps and refusals
 * (core/transfer/block-deflate.ts) keep their error types.
 */
export class WorkerBlockCodec implements BlockCodec {
  #api: Comlink.Remote<BlockWorkerApi> | null = null;
  #broken = false;

  async deflate(data: Uint8Array): Promise<Uint8Array> {
    if (this.#broken) return fflateBlockCodec.deflate(data);
    try {
      this.#api ??= Comlink.wrap<BlockWorkerApi>(new Worker(new URL('../../workers/block-worker.ts', import.meta.url), { type: 'module', name: 'quintet-block' }));
      const copy = data.slice(); // its own buffer, moved to the worker: a view's whole buffer would be cloned
      return await this.#api.deflate(Comlink.transfer(copy, [copy.buffer]));
    } catch (error) {
      console.warn('[block-deflate] the compression worker failed; compressing in the page from now on:', error);
      this.#broken = true;
      return fflateBlockCodec.deflate(data);
    }
  }

  inflate(data: Uint8Array, maxBytes: number): Promise<Uint8Array> {
    return fflateBlockCodec.inflate(data, maxBytes);
  }
}
