/** A blob (compressed JSON) cut into mesh-sized parts and put back together, with limits on what a peer may send. */
import { fromB64u, toB64u, utf8, fromUtf8 } from '../crypto/bytes.ts';
import type { Compressor } from '../ports.ts';
import { MAX_PARTS, PART_BYTES } from '../protocol/run-messages.ts';

/** Largest JSON a blob may expand to (an inventory of ~1M files); past it the blob is refused. */
export const MAX_BLOB_JSON = 512 * 1024 * 1024;

/** A part as it travels: `seq` of `count`, base64url data. */
export interface BlobPart {
  seq: number;
  count: number;
  data: string;
}

/** JSON → compressed bytes → parts of at most PART_BYTES (data-channel messages are ≤ 256 KiB; the mesh does not fragment). */
export async function toParts(value: unknown, compressor: Compressor): Promise<BlobPart[]> {
  const packed = await compressor.compress(utf8(JSON.stringify(value)));
  const count = Math.max(1, Math.ceil(packed.length / PART_BYTES));
  if (count > MAX_PARTS) throw new RangeError('blob too large');
  return Array.from({ length: count }, (_, seq) => ({ seq, count, data: toB64u(packed.subarray(seq * PART_BYTES, (seq + 1) * PART_BYTES)) }));
}

/** Collects the parts of one blob; `add` returns the whole bytes once the last part is in. */
export class PartCollector {
  #parts: (Uint8Array | undefined)[] = [];
  #count = 0;
  #have = 0;

  /** Adds a part; throws on an inconsistent part (count changed, bad base64). Returns the joined bytes when complete. */
  add(part: BlobPart): Uint8Array | null {
    if (this.#count === 0) this.#count = part.count;
    if (part.count !== this.#count || part.seq >= part.count) throw new RangeError('inconsistent part');
    const bytes = fromB64u(part.data);
    if (bytes === null) throw new RangeError('bad part data');
    if (this.#parts[part.seq] === undefined) this.#have++;
    this.#parts[part.seq] = bytes;
    if (this.#have < this.#count) return null;
    const total = this.#parts.reduce((n, p) => n + (p?.length ?? 0), 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of this.#parts) {
      out.set(p as Uint8Array, at);
      at += (p as Uint8Array).length;
    }
    return out;
  }
}

/** Decompresses and parses a complete blob (the caller validates the value). */
export async function fromBlob(bytes: Uint8Array, compressor: Compressor): Promise<unknown> {
  const text = fromUtf8(await compressor.decompress(bytes, MAX_BLOB_JSON));
  if (text === null) throw new RangeError('blob is not UTF-8');
  return JSON.parse(text) as unknown;
}
