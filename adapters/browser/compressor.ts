/** The Compressor port in the browser: gzip through CompressionStream, decompression capped so a small message cannot fill memory. */
import type { Compressor } from '../../core/ports.ts';
import { concat } from '../../core/bytes.ts';

async function drain(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new RangeError('decompressed data too large');
    }
    chunks.push(value);
  }
  return concat(...chunks);
}

/** gzip: every Chromium has it, and inventories (hex hashes, paths) shrink to about half. */
export const browserCompressor: Compressor = {
  compress: (data) => drain(new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip')), Number.MAX_SAFE_INTEGER),
  decompress: (data, maxBytes) => drain(new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip')), maxBytes),
};
