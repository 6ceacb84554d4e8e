/** Where this member already holds a block, found by its hash in its own inventories: reused instead of pulled (remote-blocks.ts). */
import type { Inventory } from '../inventory/types.ts';
import { blockLength } from '../inventory/blocks.ts';

/** Where this member already holds a block: any file of its own sources, at a block boundary. */
export interface LocalBlock {
  code: string;
  path: string;
  offset: number;
  length: number;
  size: number;
  mtime: number;
}

/** hash → where this member holds it, from its own inventories (the first holder wins). */
export function localBlockIndex(inventories: readonly Inventory[]): Map<string, LocalBlock> {
  const index = new Map<string, LocalBlock>();
  for (const inv of inventories) {
    for (const item of inv.items) {
      if (item.kind !== 'file') continue;
      item.blocks.forEach((hash, i) => {
        if (!index.has(hash)) index.set(hash, { code: inv.source, path: item.path, offset: i * item.blockSize, length: blockLength(item.size, item.blockSize, i), size: item.size, mtime: item.mtime });
      });
    }
  }
  return index;
}
