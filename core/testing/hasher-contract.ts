/** The Hasher contract as a suite over a factory: noble (Node) and WebCrypto (browser workers) must pass it alike. */
import { describe, expect, it } from 'vitest';
import type { Hasher, OpenFile } from '../ports.ts';
import { utf8 } from './bytes.ts';

/** An OpenFile over bytes. */
export function bytesFile(data: Uint8Array, mtime = 0): OpenFile {
  return { size: data.length, mtime, read: async (offset, length) => data.slice(offset, offset + length) };
}

// FIPS 180-2 examples, and SHA-256 of nothing.
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const AB = 'fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603';
const C = '2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6';
const LONG = '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1';

/** Registers the Hasher contract tests for `make()`. */
export function hasherContract(name: string, make: () => Hasher | Promise<Hasher>): void {
  describe(`Hasher contract: ${name}`, () => {
    it('digests known vectors in lower-case hex', async () => {
      const h = await make();
      expect(await h.digest(new Uint8Array(0))).toBe(EMPTY);
      expect(await h.digest(utf8('abc'))).toBe(ABC);
      expect(await h.digest(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(LONG);
    });

    it('hashes blocks in order, the last one short, none for an empty file', async () => {
      const h = await make();
      expect(await h.hashBlocks(bytesFile(utf8('abc')), 2)).toEqual([AB, C]);
      expect(await h.hashBlocks(bytesFile(utf8('abc')), 3)).toEqual([ABC]);
      expect(await h.hashBlocks(bytesFile(new Uint8Array(0)), 4)).toEqual([]);
    });

    it('agrees between blocks and digest on a larger file', async () => {
      const h = await make();
      const data = new Uint8Array(300_000).map((_, i) => (i * 31) & 255);
      const blocks = await h.hashBlocks(bytesFile(data), 131_072);
      expect(blocks).toHaveLength(3);
      expect(blocks[2]).toBe(await h.digest(data.slice(262_144)));
    });

    it('stops on an aborted signal', async () => {
      const h = await make();
      await expect(h.hashBlocks(bytesFile(utf8('abc')), 1, { aborted: true })).rejects.toMatchObject({ code: 'cancelled' });
    });
  });
}
