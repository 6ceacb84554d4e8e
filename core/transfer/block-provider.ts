/** Where a copy's blocks come from: the local source now; a remote peer or local delta blocks with issue 6. */
import type { DirSource, OpenFile } from '../ports.ts';
import { FsError } from '../errors.ts';
import type { CopyAction } from '../plan/types.ts';
import { blockLength } from '../inventory/blocks.ts';
import type { Parts } from '../crypto/parts.ts';

/**
 * The blocks of one file being copied. Block `i` must hash to `action.blocks[i]`; apply checks it. A block may come in
 * parts, in order (the pieces it travelled in, not copied into one buffer: core/transfer/remote-blocks.ts).
 */
export interface BlockReader {
  block(index: number): Promise<Parts>;
  /** The local file the blocks are read from, checked against the plan's size and time (a writer may read it itself). */
  readonly file?: OpenFile;
}

/** Opens the blocks of the file a copy action names (by source, path and content hash). */
export interface BlockProvider {
  /** Throws FsError 'not-found' when the file vanished, 'changed' when it is no longer what was inventoried. */
  open(action: CopyAction): Promise<BlockReader>;
  /** The copies about to be opened, in the order they will be (a provider may fetch ahead); optional. */
  expect?(actions: readonly CopyAction[]): void;
}

/**
 * Reads blocks straight from the local `from` source, after checking the file still has the
 * inventoried size and mtime (an edit since the inventory must not be copied half-aware).
 */
export function localBlockProvider(sources: ReadonlyMap<string, DirSource>): BlockProvider {
  return {
    async open(action) {
      const source = sources.get(action.from);
      if (!source) throw new FsError('not-found', action.path, `unknown source ${action.from}`);
      const file: OpenFile = await source.open(action.path);
      if (file.size !== action.size || (action.mtime !== undefined && file.mtime !== action.mtime)) {
        throw new FsError('changed', action.path);
      }
      return {
        file,
        async block(index) {
          const length = blockLength(action.size, action.blockSize, index);
          const bytes = await file.read(index * action.blockSize, length);
          if (bytes.length !== length) throw new FsError('changed', action.path, 'short read');
          return bytes;
        },
      };
    },
  };
}
