/** Keeps several frame encryptions in flight while writing frames in counter order (throughput for bulk transfer). */
import type { FrameSealer } from './frame.ts';

/** A sender of sealed frames with bounded parallelism. */
export interface SealPipeline {
  /** Starts sealing `plaintext`; resolves once fewer than `depth` frames are waiting (backpressure). */
  push(plaintext: Uint8Array): Promise<void>;
  /** Resolves when every pushed frame has been written. */
  flush(): Promise<void>;
}

/** Options of `sealInOrder`. */
export interface SealPipelineOptions {
  sealer: FrameSealer;
  /** Encryptions in flight at most (default 4: enough to hide WebCrypto's per-call latency for 64–256 KiB frames). */
  depth?: number;
  /** Writes one sealed frame; may return a promise (e.g. waiting for the data channel's bufferedAmount). */
  write: (frame: Uint8Array) => void | Promise<void>;
}

/**
 * Seals pushed plaintexts concurrently (counters are taken in push order, see FrameSealer.seal) and
 * hands the frames to `write` strictly in that order, one write at a time.
 */
export function sealInOrder({ sealer, depth = 4, write }: SealPipelineOptions): SealPipeline {
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError('depth must be a positive integer');
  const pending: Promise<Uint8Array>[] = [];
  let writing: Promise<void> = Promise.resolve();

  // Chained at shift time, synchronously, so frames are written in push order whatever order the
  // encryptions finish in, even when push() is called without awaiting the previous one.
  const writeHead = (): Promise<void> => {
    const head = pending.shift();
    if (head !== undefined) writing = writing.then(async () => write(await head));
    return writing;
  };

  return {
    async push(plaintext) {
      pending.push(sealer.seal(plaintext));
      while (pending.length >= depth) await writeHead();
    },
    async flush() {
      while (pending.length > 0) await writeHead();
      await writing;
    },
  };
}
