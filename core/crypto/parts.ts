/** Bytes in parts (a piece's header and its block's bytes; a frame's header and its sealed body), joined only where one buffer is needed. */

/** One byte string as parts, in order: `Uint8Array` alone, or several whose concatenation it is. */
export type Parts = Uint8Array | readonly Uint8Array[];

/** Bytes in all parts. */
export function partsLength(parts: Parts): number {
  if (parts instanceof Uint8Array) return parts.length;
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

/** The one Uint8Array of `parts` when they are one already, or when they lie side by side in one buffer; else null. */
export function wholePart(parts: Parts): Uint8Array | null {
  if (parts instanceof Uint8Array) return parts;
  const first = parts[0];
  if (!first) return new Uint8Array(0);
  let end = first.byteOffset + first.length;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i] as Uint8Array;
    if (p.buffer !== first.buffer || p.byteOffset !== end) return null;
    end += p.length;
  }
  return new Uint8Array(first.buffer, first.byteOffset, end - first.byteOffset);
}

/** Writes the parts into `out` from `at`; returns where they end. */
export function writeParts(parts: Parts, out: Uint8Array, at: number): number {
  if (parts instanceof Uint8Array) {
    out.set(parts, at);
    return at + parts.length;
  }
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return at;
}

/** The parts as one Uint8Array: themselves when already one (wholePart), else a new copy. */
export function joinParts(parts: Parts): Uint8Array {
  const whole = wholePart(parts);
  if (whole) return whole;
  const out = new Uint8Array(partsLength(parts));
  writeParts(parts, out, 0);
  return out;
}

/**
 * A buffer reused for bytes that a synchronous call copies before it returns (WebCrypto's encrypt, RTCDataChannel.send):
 * joining a 256 KiB frame into a fresh buffer each time cost the sending page more than the copy itself (allocation,
 * first touch of new memory, garbage collection).
 */
export class Scratch {
  #buf = new Uint8Array(0);

  /** The parts joined in this scratch (valid until its next use): a view of it, or the single part itself. */
  join(parts: Parts): Uint8Array {
    const whole = wholePart(parts);
    if (whole) return whole;
    const n = partsLength(parts);
    if (this.#buf.length < n) this.#buf = new Uint8Array(Math.max(n, 256 * 1024));
    writeParts(parts, this.#buf, 0);
    return this.#buf.subarray(0, n);
  }

  /** A view of `n` bytes of this scratch (valid until its next use), to be filled by the caller. */
  take(n: number): Uint8Array {
    if (this.#buf.length < n) this.#buf = new Uint8Array(Math.max(n, 256 * 1024));
    return this.#buf.subarray(0, n);
  }
}
