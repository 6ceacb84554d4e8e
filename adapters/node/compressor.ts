/** The Compressor port under Node (the headless member, tests): gzip through zlib, inflation stopped at its cap. */
import { createGunzip, gzipSync } from 'node:zlib';
import type { Compressor } from '../../core/ports.ts';

/**
 * Inflates `data`, stopping as soon as more than `maxBytes` came out: the stream is destroyed there, so at most
 * `maxBytes` plus one zlib chunk (16 KiB) is ever held. `onChunk` sees each chunk's size (tests count what was made).
 */
export function gunzipCapped(data: Uint8Array, maxBytes: number, onChunk?: (bytes: number) => void): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let total = 0;
    gunzip.on('data', (chunk: Buffer) => {
      onChunk?.(chunk.length);
      total += chunk.length;
      if (total > maxBytes) {
        gunzip.destroy();
        chunks.length = 0;
        reject(new RangeError('decompressed data too large'));
        return;
      }
      chunks.push(chunk);
    });
    gunzip.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks, total))));
    gunzip.on('error', reject);
    gunzip.end(data);
  });
}

/** gzip as the browser's CompressionStream('gzip') makes it: either side reads the other's. */
export const nodeCompressor: Compressor = {
  compress: async (data) => new Uint8Array(gzipSync(data)),
  decompress: (data, maxBytes) => gunzipCapped(data, maxBytes),
};
