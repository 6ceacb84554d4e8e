/** Block sizes and file hashes (Syncthing's scheme; docs/protocol.md §3). */
import type { CancelSignal, Hasher, OpenFile } from '../ports.ts';
import { concat, fromHex } from '../bytes.ts';

/** Smallest block: 128 KiB. */
export const MIN_BLOCK_SIZE = 128 * 1024;
/** Largest block: 16 MiB. */
export const MAX_BLOCK_SIZE = 16 * 1024 * 1024;
/** Syncthing aims for about this many blocks per file (lib/protocol DesiredPerFileBlocks). */
export const DESIRED_BLOCKS = 2000;

/**
 * The block size of a file: the smallest power of two from 128 KiB to 16 MiB such that the
 * file has at most 2000 blocks (`size <= 2000 * bs`), else 16 MiB. Small files keep small
 * blocks (cheap delta); huge files keep the block list short.
 */
export function blockSizeFor(size: number): number {
  for (let bs = MIN_BLOCK_SIZE; bs < MAX_BLOCK_SIZE; bs *= 2) {
    if (size <= DESIRED_BLOCKS * bs) return bs;
  }
  return MAX_BLOCK_SIZE;
}

/** How many blocks a file of `size` bytes has (0 for an empty file). */
export function blockCount(size: number, blockSize: number): number {
  return Math.ceil(size / blockSize);
}

/** Byte length of block `index` of a file of `size` bytes. */
export function blockLength(size: number, blockSize: number, index: number): number {
  return Math.max(0, Math.min(blockSize, size - index * blockSize));
}

/** The file hash: SHA-256 over the concatenated raw 32-byte block hashes (SHA-256 of nothing when empty). */
export function fileHashOf(blocks: readonly string[], hasher: Hasher): Promise<string> {
  return hasher.digest(concat(...blocks.map(fromHex)));
}

/** Block size, block hashes and file hash of an open file. */
export interface FileHashes {
  blockSize: number;
  blocks: string[];
  hash: string;
}

/** Hashes an open file block by block through the Hasher port. */
export async function hashFile(file: OpenFile, hasher: Hasher, signal?: CancelSignal): Promise<FileHashes> {
  const blockSize = blockSizeFor(file.size);
  const blocks = await hasher.hashBlocks(file, blockSize, signal);
  return { blockSize, blocks, hash: await fileHashOf(blocks, hasher) };
}
