import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateSync } from 'fflate';
import type { BlockCodec } from '../ports.ts';
import { logText, patternBytes } from '../testing/bytes.ts';
import { BadDeflatedBlock, MAX_ENTROPY, MIN_DEFLATE_BYTES, packBlock, sampleEntropy, unpackBlock, worthDeflating } from './block-deflate.ts';
import { InflateLimitError, fflateBlockCodec, inflateCapped } from './block-codec.ts';

/** fflate, counting its calls. */
function counted(): BlockCodec & { calls: number } {
  const c = { calls: 0, deflate: (d: Uint8Array) => (c.calls++, fflateBlockCodec.deflate(d)), inflate: fflateBlockCodec.inflate };
  return c;
}

describe('the cheap test', () => {
  it('tells text from dense bytes by the entropy of a sample', () => {
    expect(sampleEntropy(logText(128 * 1024))).toBeLessThan(6);
    expect(sampleEntropy(patternBytes(128 * 1024, 5))).toBeGreaterThan(7.9);
    expect(sampleEntropy(patternBytes(MIN_DEFLATE_BYTES * 4, 5))).toBeGreaterThan(MAX_ENTROPY);
    expect(worthDeflating(logText(128 * 1024))).toBe(true);
    expect(worthDeflating(patternBytes(128 * 1024, 5))).toBe(false);
    expect(worthDeflating(logText(MIN_DEFLATE_BYTES - 1))).toBe(false);
  });

  it('looks at slices spread over the block: dense bytes with text at its end are tried', () => {
    const block = patternBytes(128 * 1024, 9);
    block.set(logText(64 * 1024), 64 * 1024);
    expect(worthDeflating(block)).toBe(true);
  });
});

describe('packBlock and unpackBlock', () => {
  it('text travels compressed to under a third of its size and comes back whole', async () => {
    const text = logText(128 * 1024);
    const packed = await packBlock(fflateBlockCodec, text);
    expect(packed.deflated).toBe(true);
    expect(packed.bytes.length).toBeLessThan(text.length / 3);
    expect(await unpackBlock(fflateBlockCodec, packed.bytes, text.length)).toEqual(text);
  });

  it('incompressible bytes are not even given to the codec, and go as they are', async () => {
    const codec = counted();
    const dense = patternBytes(128 * 1024, 3);
    const packed = await packBlock(codec, dense);
    expect(packed).toEqual({ bytes: dense, deflated: false });
    expect(codec.calls).toBe(0);
  });

  it('a block that passes the cheap test but saves under 10 % goes as it is', async () => {
    // Half text at the sample points, the rest dense: the sample looks compressible, the whole saves little.
    const block = patternBytes(128 * 1024, 4);
    for (let k = 0; k < 4; k++) block.set(logText(2048, k + 1), k * 32 * 1024);
    const codec = counted();
    const packed = await packBlock(codec, block);
    expect(codec.calls).toBe(1);
    expect(packed.deflated).toBe(false);
    expect(packed.bytes).toBe(block);
  });

  it('round-trips any mix of text and dense bytes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 1000 })), { minLength: 1, maxLength: 8 }), async (parts) => {
        const chunks = parts.map(([text, n, seed]) => (text ? logText(n, seed) : patternBytes(n, seed)));
        const block = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          block.set(c, at);
          at += c.length;
        }
        const packed = await packBlock(fflateBlockCodec, block);
        if (packed.deflated) expect(packed.bytes.length).toBeLessThanOrEqual(block.length * 0.9);
        const back = packed.deflated ? await unpackBlock(fflateBlockCodec, packed.bytes, block.length) : packed.bytes;
        expect(back).toEqual(block);
      }),
      { numRuns: 20 },
    );
  }, 60_000);
});

describe('hostile compressed blocks', () => {
  const length = 128 * 1024;

  it('a bomb (64 MiB of zeros in ~64 KiB) is refused, and inflation stops right past the declared size', async () => {
    const bomb = deflateSync(new Uint8Array(64 << 20), { level: 9 });
    expect(bomb.length).toBeLessThan(length);
    await expect(unpackBlock(fflateBlockCodec, bomb, length)).rejects.toThrow(/inflates past its 131072 bytes/);
    let made = 0;
    expect(() => inflateCapped(bomb, length, (n) => (made += n))).toThrow(InflateLimitError);
    expect(made).toBeLessThan(length + 5 * 1024 * 1024); // one 4 KiB slice of input makes at most ~4 MiB
  });

  it('a stream one byte longer, or shorter, than the block is refused', async () => {
    for (const n of [length + 1, length - 1]) {
      await expect(unpackBlock(fflateBlockCodec, deflateSync(logText(n)), length)).rejects.toThrow(BadDeflatedBlock);
    }
  });

  it('a malformed, truncated or not-smaller stream is refused with its reason', async () => {
    const good = deflateSync(logText(length));
    await expect(unpackBlock(fflateBlockCodec, Uint8Array.of(0xff, 0xff, 0xff, 0xff), length)).rejects.toThrow(/malformed compressed block/);
    await expect(unpackBlock(fflateBlockCodec, good.subarray(0, good.length >> 1), length)).rejects.toThrow(/malformed compressed block/);
    await expect(unpackBlock(fflateBlockCodec, new Uint8Array(length), length)).rejects.toThrow(/not smaller/);
  });
});
