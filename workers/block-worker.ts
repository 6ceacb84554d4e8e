/** Web Worker: file blocks compressed here (block-deflate) before the page seals and sends them, so a text folder's upload never freezes the page. */
import * as Comlink from 'comlink';
import { fflateBlockCodec } from '../core/transfer/block-codec.ts';

const api = {
  /** Raw DEFLATE at level 1 (core/transfer/block-codec.ts); the result's buffer goes back transferred. */
  deflate: async (bytes: Uint8Array): Promise<Uint8Array> => {
    const packed = await fflateBlockCodec.deflate(bytes);
    return Comlink.transfer(packed, [packed.buffer as ArrayBuffer]);
  },
};

export type BlockWorkerApi = typeof api;
Comlink.expose(api);
