/** Web Worker: peers' inventories and plans inflated, UTF-8 decoded and parsed here, so a large one never freezes the page. */
import * as Comlink from 'comlink';
import { fromBlob } from '../core/transfer/blob-parts.ts';
import { browserCompressor } from '../adapters/browser/compressor.ts';

const api = {
  /** core's fromBlob (inflation capped by ratio and size, fatal UTF-8, JSON.parse); the value comes back cloned. */
  decode: (bytes: Uint8Array): Promise<unknown> => fromBlob(bytes, browserCompressor),
};

export type BlobWorkerApi = typeof api;
Comlink.expose(api);
