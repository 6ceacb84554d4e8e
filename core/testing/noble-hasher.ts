/** The Hasher port over @noble/hashes SHA-256: same bytes as WebCrypto, for tests under Node. */
import { sha256 } from '@noble/hashes/sha2.js';
import type { CancelSignal, Hasher, OpenFile } from '../ports.ts';
import { cancelled } from '../errors.ts';
import { toHex } from '../bytes.ts';

/** A Hasher that hashes in the calling thread; `blocksHashed` counts blocks, for assertions. */
export class NobleHasher implements Hasher {
  blocksHashed = 0;
  async hashBlocks(file: OpenFile, blockSize: number, signal?: CancelSignal): Promise<string[]> {
    const out: string[] = [];
    for (let offset = 0; offset < file.size; offset += blockSize) {
      if (signal?.aborted) throw cancelled();
      const bytes = await file.read(offset, Math.min(blockSize, file.size - offset));
      out.push(toHex(sha256(bytes)));
      this.blocksHashed++;
    }
    return out;
  }
  async digest(data: Uint8Array): Promise<string> {
    return toHex(sha256(data));
  }
}
