/** Per-block compression between members (issue 16): a cheap test first, DEFLATE only where it saves, and a bounded, exact inflate on receipt. */
import type { BlockCodec } from '../ports.ts';

/** Blocks smaller than this travel as they are: what DEFLATE could save would not pay for its call. */
export const MIN_DEFLATE_BYTES = 512;
/** A block travels compressed only when that saves at least this share of its bytes (else as it is). */
export const MIN_SAVING = 0.1;
/** Bytes the cheap test looks at: SAMPLES slices spread over the block, SAMPLE_BYTES each (4 KiB: ~20 µs a block here). */
const SAMPLES = 4;
const SAMPLE_BYTES = 1024;
/**
 * Order-0 entropy (bits per byte) under which a block is worth compressing. Text, logs, source, hex and base64 sit at
 * 4–6; compressed or encrypted data (zip, JPEG, video, office files, random) at 7.9–8.0 over a 4 KiB sample.
 */
export const MAX_ENTROPY = 7.5;

/** Shannon entropy of the byte histogram of up to SAMPLES × SAMPLE_BYTES bytes spread over `block`: tens of µs a block. */
export function sampleEntropy(block: Uint8Array): number {
  const counts = new Uint32Array(256);
  let n = 0;
  const whole = block.length <= SAMPLES * SAMPLE_BYTES;
  const step = whole ? block.length : Math.floor(block.length / SAMPLES);
  const take = whole ? block.length : SAMPLE_BYTES;
  for (let start = 0; start < block.length; start += step) {
    const end = Math.min(block.length, start + take);
    for (let i = start; i < end; i++) {
      const byte = block[i] as number;
      counts[byte] = (counts[byte] as number) + 1;
    }
    n += end - start;
  }
  let bits = 0;
  for (const c of counts) if (c > 0) bits -= (c / n) * Math.log2(c / n);
  return bits;
}

/** Whether `block` is worth a try at compressing (the cheap test): large enough and not already dense. */
export function worthDeflating(block: Uint8Array): boolean {
  return block.length >= MIN_DEFLATE_BYTES && sampleEntropy(block) < MAX_ENTROPY;
}

/** A block as it travels: its bytes, compressed or not. */
export interface PackedBlock {
  bytes: Uint8Array;
  deflated: boolean;
}

/** The block compressed when the cheap test says so and DEFLATE saves at least MIN_SAVING; else as it is. */
export async function packBlock(codec: BlockCodec, block: Uint8Array): Promise<PackedBlock> {
  if (!worthDeflating(block)) return { bytes: block, deflated: false };
  const packed = await codec.deflate(block);
  return packed.length <= block.length * (1 - MIN_SAVING) ? { bytes: packed, deflated: true } : { bytes: block, deflated: false };
}

/** Why a compressed block was refused (the copy fails with it; nothing of the block is written). */
export class BadDeflatedBlock extends Error {}

/**
 * The block of `length` bytes a compressed block stands for. Refused: compressed bytes not fewer than the block's
 * (a sender only compresses what it shrinks), a stream that inflates past `length` (inflation stops at `length` + 1
 * bytes: a decompression bomb costs no more), short of it, or malformed. The caller still checks the block's hash.
 */
export async function unpackBlock(codec: BlockCodec, packed: Uint8Array, length: number): Promise<Uint8Array> {
  if (packed.length >= length) throw new BadDeflatedBlock(`compressed block of ${packed.length} bytes for ${length}: not smaller`);
  let bytes: Uint8Array;
  try {
    bytes = await codec.inflate(packed, length);
  } catch (error) {
    throw new BadDeflatedBlock(error instanceof RangeError ? `compressed block inflates past its ${length} bytes` : `malformed compressed block (${String(error)})`);
  }
  if (bytes.length !== length) throw new BadDeflatedBlock(`compressed block inflates to ${bytes.length} bytes, not its ${length}`);
  return bytes;
}
