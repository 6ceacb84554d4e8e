/** Checks that the app and openssl hashed the same bytes: the app's block and file hashes recomputed from the disk copy. */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { blockSizeFor } from '../../core/inventory/blocks.ts';
import type { AppItem } from './app.ts';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();

/** Throws on the first mismatch. A file of one block has block hash = its plain SHA-256, so openssl's digest must match. */
export async function verifyItems(root: string, items: AppItem[], openssl: Map<string, string>, expectedFiles: number): Promise<void> {
  if (items.length !== expectedFiles) throw new Error(`app listed ${items.length} files, expected ${expectedFiles}`);
  for (const item of items) {
    const full = join(root, item.path);
    const handle = await open(full, 'r');
    try {
      const { size } = await handle.stat();
      const blockSize = blockSizeFor(size);
      if (item.blockSize !== blockSize) throw new Error(`${item.path}: block size ${item.blockSize}, expected ${blockSize}`);
      const blocks: Buffer[] = [];
      const buffer = Buffer.alloc(blockSize);
      for (let off = 0; off < size; off += blockSize) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(blockSize, size - off), off);
        blocks.push(sha256(buffer.subarray(0, bytesRead)));
      }
      if (blocks[0]?.toString('hex') !== item.block0) throw new Error(`${item.path}: first block differs from the disk copy`);
      if (sha256(Buffer.concat(blocks)).toString('hex') !== item.hash) throw new Error(`${item.path}: file hash differs from the disk copy`);
      if (blocks.length === 1 && openssl.get(full) !== item.block0) throw new Error(`${item.path}: openssl digest differs from the app's block hash`);
    } finally {
      await handle.close();
    }
  }
}
