/** The Node BlockCodec reads fflate's DEFLATE and fflate reads its own (members of either kind talk), and stops a bomb at its cap. */
import { describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { nodeBlockCodec } from './block-codec.ts';
import { fflateBlockCodec } from '../../core/transfer/block-codec.ts';

const text = new TextEncoder().encode('2026-11-30 INFO member B pulled block 17 of notes.txt\n'.repeat(3000));

describe('nodeBlockCodec', () => {
  it('round-trips with itself and with fflate in both directions', async () => {
    for (const [pack, unpack] of [[nodeBlockCodec, fflateBlockCodec], [fflateBlockCodec, nodeBlockCodec], [nodeBlockCodec, nodeBlockCodec]] as const) {
      const packed = await pack.deflate(text);
      expect(packed.length).toBeLessThan(text.length / 10);
      expect(await unpack.inflate(packed, text.length)).toEqual(text);
    }
  });

  it('refuses a stream that inflates past its cap, and a truncated one', async () => {
    const bomb = deflateRawSync(new Uint8Array(64 << 20), { level: 9 }); // 64 MiB of zeros in ~64 KiB
    await expect(nodeBlockCodec.inflate(bomb, 128 * 1024)).rejects.toThrow(RangeError);
    const packed = await nodeBlockCodec.deflate(text);
    await expect(nodeBlockCodec.inflate(packed.subarray(0, packed.length - 20), text.length)).rejects.toThrow();
  });
});
