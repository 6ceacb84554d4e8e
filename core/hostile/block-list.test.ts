import { describe, expect, it } from 'vitest';
import { decodeInventories } from '../transfer/compact-inventory.ts';
import { blockSizeFor, MAX_BLOCK_SIZE, MIN_BLOCK_SIZE } from '../inventory/blocks.ts';

const MAX_FILE_SIZE = 2 ** 44; // 16 TiB, compact-inventory.ts
const H = 'ab'.repeat(32);
/** B's wire inventories with one source holding `items`. */
const wire = (items: unknown[]) => [['B1', 'id-b1', 'directory', 'b', items, []]];
const file = (path: string, size: number, blockSize: number, count: number, joined = H.repeat(count)) => [path, size, 0, blockSize, joined, H];
const decode = (items: unknown[]) => decodeInventories(wire(items), 'B', 0);

describe('hostile member — finding 6: block lists and block sizes', () => {
  it('checks a list of 100,000 blocks without overflowing the stack (the regex did at ~86k)', () => {
    const size = 100_000 * MAX_BLOCK_SIZE;
    expect(blockSizeFor(size)).toBe(MAX_BLOCK_SIZE);
    expect(() => decode([file('huge.img', size, MAX_BLOCK_SIZE, 100_000)])).not.toThrow();
    const ok = decode([file('huge.img', size, MAX_BLOCK_SIZE, 100_000)]);
    expect(ok?.[0]?.inventory.items[0]).toMatchObject({ kind: 'file', size, blockSize: MAX_BLOCK_SIZE });
    expect((ok?.[0]?.inventory.items[0] as { blocks: string[] }).blocks).toHaveLength(100_000);
    // The same list with one character that is not lowercase hex, at the very end: refused, still without throwing.
    expect(decode([file('huge.img', size, MAX_BLOCK_SIZE, 100_000, `${H.repeat(100_000).slice(0, -1)}G`)])).toBeNull();
  });

  it.each([
    ['1 byte', 10, 1, 10],
    ['2^40 bytes', 10, 2 ** 40, 1],
    ['64 KiB (under the scheme)', MIN_BLOCK_SIZE, 64 * 1024, 2],
    ['32 MiB (over the scheme)', 64 * 1024 * 1024, 32 * 1024 * 1024, 2],
    ['256 KiB where the scheme picks 128 KiB', 300 * 1024, 256 * 1024, 2],
    ['1.5', 3, 1.5, 2],
  ])('refuses a block size of %s', (_what, size, blockSize, count) => {
    expect(decode([file('a.bin', size, blockSize, count)])).toBeNull();
  });

  it('refuses sizes beyond 16 TiB and past 2^53, and a block list that does not match its size', () => {
    expect(decode([file('a', MAX_FILE_SIZE + MAX_BLOCK_SIZE, MAX_BLOCK_SIZE, MAX_FILE_SIZE / MAX_BLOCK_SIZE + 1, '')])).toBeNull();
    expect(decode([file('a', 2 ** 60, MAX_BLOCK_SIZE, 1)])).toBeNull();
    expect(decode([file('a', 10, MIN_BLOCK_SIZE, 2)])).toBeNull(); // one block too many
    expect(decode([file('a', 10, MIN_BLOCK_SIZE, 1, `${H.slice(0, 63)}`)])).toBeNull(); // a hash one character short
    expect(decode([file('a', 10, MIN_BLOCK_SIZE, 1, H.toUpperCase())])).toBeNull();
  });

  it('refuses a path listed twice or out of order, and a path over 4,096 characters', () => {
    expect(decode([['d'], ['d']])).toBeNull();
    expect(decode([['b'], ['a']])).toBeNull();
    expect(decode([[`${'x/'.repeat(2048)}y`]])).toBeNull();
  });

  it('still takes an honest inventory: an empty file, and files at each scheme size', () => {
    const sizes = [0, 1, 2000 * MIN_BLOCK_SIZE, 2000 * MIN_BLOCK_SIZE + 1, 5 * 2 ** 30];
    const items = sizes.map((size, i) => file(`f${i}`, size, blockSizeFor(size), Math.ceil(size / blockSizeFor(size))));
    expect(decode(items)?.[0]?.inventory.items.map((i) => i.path)).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
  });
});
