/** A blob (compressed JSON) cut into mesh-sized parts and put back together, with limits on what a peer may send. */
import { fromB64u, toB64u, utf8, fromUtf8 } from '../crypto/bytes.ts';
import type { BlobDecoder, Compressor } from '../ports.ts';
import { MAX_PARTS, PART_BYTES } from '../protocol/run-messages.ts';

/** Items one blob may list: a member's inventories (the per-source cap of compact-inventory.ts) or a plan's actions. */
export const MAX_BLOB_ITEMS = 2_000_000;
/** JSON bytes an item may take on average: a one-block file with an 80-character path is ~200 B, a directory ~80 B. */
const ITEM_JSON_BYTES = 256;
/** Largest JSON a blob may expand to: 512 MB, under the longest string JavaScript engines hold (V8: 2^29 − 24). */
export const MAX_BLOB_JSON = MAX_BLOB_ITEMS * ITEM_JSON_BYTES;
/**
 * Most JSON bytes a compressed byte may expand to. Honest compact JSON measured 4× (block hashes) to 124× (long
 * repeated paths); deflate itself reaches ~1,030×, which is how one 98 KB part became 64 MiB (issue 9, finding 4).
 */
export const MAX_INFLATION = 256;
/** What any blob may expand to whatever its size (a plan of a few actions compresses to a few dozen bytes). */
const MIN_JSON_ALLOWANCE = 1024 * 1024;
/** Largest compressed blob: compact JSON at its cap compresses at least 2× (mostly hex, 4 bits a character). */
export const MAX_BLOB_BYTES = MAX_BLOB_JSON / 2;

/** Most bytes `compressed` bytes may inflate to: bounded by ratio and by MAX_BLOB_JSON. */
export function inflateLimit(compressed: number): number {
  return Math.min(MAX_BLOB_JSON, Math.max(MIN_JSON_ALLOWANCE, compressed * MAX_INFLATION));
}

/** A part as it travels: `seq` of `count`, base64url data. */
export interface BlobPart {
  seq: number;
  count: number;
  data: string;
}

/**
 * JSON → compressed bytes → parts of at most PART_BYTES (data-channel messages are ≤ 256 KiB; the mesh does not
 * fragment). Throws what receivers would refuse, so the sender learns it instead of its peers.
 */
export async function toParts(value: unknown, compressor: Compressor): Promise<BlobPart[]> {
  const json = utf8(JSON.stringify(value));
  if (json.length > MAX_BLOB_JSON) throw new RangeError('blob too large');
  const packed = await compressor.compress(json);
  if (json.length > inflateLimit(packed.length)) throw new RangeError('blob compresses past the inflation limit');
  const count = Math.max(1, Math.ceil(packed.length / PART_BYTES));
  if (count > MAX_PARTS || packed.length > MAX_BLOB_BYTES) throw new RangeError('blob too large');
  return Array.from({ length: count }, (_, seq) => ({ seq, count, data: toB64u(packed.subarray(seq * PART_BYTES, (seq + 1) * PART_BYTES)) }));
}

/** Collects the parts of one blob; `add` returns the whole bytes once the last part is in. */
export class PartCollector {
  #parts: (Uint8Array | undefined)[] = [];
  #count = 0;
  #have = 0;
  #held = 0;

  /** Bytes of parts held so far (what a sender's budget counts; core/transfer/blob-inbox.ts). */
  get held(): number {
    return this.#held;
  }

  /** Adds a part; throws on an inconsistent part (count changed, bad base64). Returns the joined bytes when complete. */
  add(part: BlobPart): Uint8Array | null {
    if (this.#count === 0) this.#count = part.count;
    if (part.count !== this.#count || part.seq >= part.count) throw new RangeError('inconsistent part');
    const bytes = fromB64u(part.data);
    if (bytes === null) throw new RangeError('bad part data');
    const old = this.#parts[part.seq];
    if (old === undefined) this.#have++;
    this.#held += bytes.length - (old?.length ?? 0);
    this.#parts[part.seq] = bytes;
    if (this.#have < this.#count) return null;
    const out = new Uint8Array(this.#held);
    let at = 0;
    for (const p of this.#parts) {
      out.set(p as Uint8Array, at);
      at += (p as Uint8Array).length;
    }
    return out;
  }
}

/**
 * Decompresses and parses a complete blob (the caller validates the value). Inflation stops at `inflateLimit` of the
 * blob's size (the Compressor stops reading there), malformed UTF-8 is refused. In the browser this runs in a worker
 * (workers/blob-worker.ts) through the BlobDecoder port.
 */
export async function fromBlob(bytes: Uint8Array, compressor: Compressor): Promise<unknown> {
  const limit = inflateLimit(bytes.length);
  const json = await compressor.decompress(bytes, limit);
  if (json.length > limit) throw new RangeError('decompressed data too large'); // a Compressor that ignored its cap
  const text = fromUtf8(json);
  if (text === null) throw new RangeError('blob is not UTF-8');
  return JSON.parse(text) as unknown;
}

/** The BlobDecoder of a platform without workers (tests, the headless member): fromBlob in the calling thread. */
export function inThreadDecoder(compressor: Compressor): BlobDecoder {
  return { decode: (bytes) => fromBlob(bytes, compressor) };
}
