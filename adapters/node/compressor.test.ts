/** The Node Compressor: round trip, and inflation that stops at its cap instead of after the whole bomb. */
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { gunzipCapped, nodeCompressor } from './compressor.ts';

describe('nodeCompressor', () => {
  it('round-trips and refuses what is not gzip', async () => {
    const data = new TextEncoder().encode('quintet '.repeat(10_000));
    expect(await nodeCompressor.decompress(await nodeCompressor.compress(data), data.length)).toEqual(data);
    await expect(nodeCompressor.decompress(Uint8Array.of(1, 2, 3), 100)).rejects.toThrow();
  });

  it('stops inflating a 64 MiB bomb soon after 1 MiB: what it made stays within the cap plus one chunk', async () => {
    const bomb = new Uint8Array(gzipSync(Buffer.alloc(64 << 20, 32)));
    let made = 0;
    await expect(gunzipCapped(bomb, 1 << 20, (n) => (made += n))).rejects.toThrow(/too large/);
    expect(made).toBeLessThanOrEqual((1 << 20) + 64 * 1024);
  });
});
