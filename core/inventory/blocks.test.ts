import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { MAX_BLOCK_SIZE, MIN_BLOCK_SIZE, blockCount, blockLength, blockSizeFor, hashFile } from './blocks.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { MemFs } from '../testing/memfs.ts';
import { patternBytes } from '../testing/bytes.ts';
import { concat, fromHex, toHex } from '../bytes.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('blockSizeFor', () => {
  it.each([
    [0, MIN_BLOCK_SIZE],
    [1, MIN_BLOCK_SIZE],
    [2000 * 128 * KiB - 1, 128 * KiB],
    [2000 * 128 * KiB, 128 * KiB], // exactly 2000 blocks: still fits
    [2000 * 128 * KiB + 1, 256 * KiB],
    [2000 * 256 * KiB + 1, 512 * KiB],
    [2000 * 8 * MiB, 8 * MiB],
    [2000 * 8 * MiB + 1, MAX_BLOCK_SIZE],
    [2000 * 16 * MiB + 1, MAX_BLOCK_SIZE], // beyond: 16 MiB blocks, more than 2000 of them
    [50 * MiB, 128 * KiB],
  ])('size %i → %i', (size, bs) => {
    expect(blockSizeFor(size)).toBe(bs);
  });

  it.each([
    [0, 0], [1, 1], [MIN_BLOCK_SIZE - 1, 1], [MIN_BLOCK_SIZE, 1], [MIN_BLOCK_SIZE + 1, 2],
  ])('size %i has %i blocks of 128 KiB', (size, n) => {
    expect(blockCount(size, MIN_BLOCK_SIZE)).toBe(n);
    if (n > 0) expect(blockLength(size, MIN_BLOCK_SIZE, n - 1)).toBe(size - (n - 1) * MIN_BLOCK_SIZE);
  });
});

describe('hashFile', () => {
  const hasher = new NobleHasher();
  const bs = MIN_BLOCK_SIZE;
  it.each([0, 1, bs - 1, bs, bs + 1, 2 * bs, 3 * bs + 7])('size %i: blocks and file hash follow the rule', async (size) => {
    const data = patternBytes(size, size + 1);
    const fs = MemFs.from({ f: data });
    const h = await hashFile(await fs.open('f'), hasher);
    const expected: string[] = [];
    for (let o = 0; o < size; o += bs) expected.push(toHex(sha256(data.slice(o, o + bs))));
    expect(h.blockSize).toBe(bs);
    expect(h.blocks).toEqual(expected);
    expect(h.hash).toBe(toHex(sha256(concat(...expected.map(fromHex)))));
  });

  it('hashes an empty file to SHA-256 of nothing, and repeated blocks alike', async () => {
    const fs = MemFs.from({ e: '', r: new Uint8Array(2 * bs) });
    const e = await hashFile(await fs.open('e'), hasher);
    expect(e).toEqual({ blockSize: bs, blocks: [], hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
    const r = await hashFile(await fs.open('r'), hasher);
    expect(r.blocks[0]).toBe(r.blocks[1]);
  });
});
