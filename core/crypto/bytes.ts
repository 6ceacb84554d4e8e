/** Byte helpers for core/crypto: UTF-8, base64url, CPace length-value encoding, big-endian integers. */

import { concat, utf8 } from '../bytes.ts';

export { utf8, fromUtf8, concat, equalBytes, toHex, fromHex } from '../bytes.ts';

const B64U = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64U_INDEX = new Map([...B64U].map((ch, i) => [ch, i]));

/** base64url without padding (RFC 4648 §5). */
export function toB64u(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = ((b[i] as number) << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64U[(n >> 18) & 63]! + B64U[(n >> 12) & 63]!;
    if (i + 1 < b.length) s += B64U[(n >> 6) & 63]!;
    if (i + 2 < b.length) s += B64U[n & 63]!;
  }
  return s;
}

/** Bytes of base64url without padding, or null on any other character, a bad length or non-zero spare bits. */
export function fromB64u(s: string): Uint8Array | null {
  if (s.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (const ch of s) {
    const v = B64U_INDEX.get(ch);
    if (v === undefined) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 255;
    }
    acc &= (1 << bits) - 1;
  }
  if (acc !== 0) return null; // canonical encodings only: one byte string, one text
  return out;
}

/** LEB128 of a length, then the bytes: CPace draft §6.3 / Appendix A.1.1 `prepend_len`. */
export function prependLen(data: Uint8Array): Uint8Array {
  const len: number[] = [];
  let n = data.length;
  do {
    len.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return concat(Uint8Array.from(len), data);
}

/** CPace draft §6.3 / Appendix A.1.3 `lv_cat`: each part with its LEB128 length prepended. Strings are UTF-8. */
export function lvCat(...parts: (Uint8Array | string)[]): Uint8Array {
  return concat(...parts.map((p) => prependLen(typeof p === 'string' ? utf8(p) : p)));
}

/** 4-byte big-endian unsigned integer. */
export function u32be(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError('u32 out of range');
  return Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
}

/** 8-byte big-endian unsigned integer from a safe integer (counters never pass 2^53). */
export function u64be(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('u64 out of range');
  const hi = Math.floor(n / 0x100000000);
  return concat(u32be(hi), u32be(n >>> 0));
}

/** Reads a 4-byte big-endian unsigned integer at `at`. */
export function readU32be(b: Uint8Array, at: number): number {
  return (((b[at] ?? 0) << 24) >>> 0) + ((b[at + 1] ?? 0) << 16) + ((b[at + 2] ?? 0) << 8) + (b[at + 3] ?? 0);
}

/** Reads an 8-byte big-endian unsigned integer at `at`; values past 2^53 come back as Infinity. */
export function readU64be(b: Uint8Array, at: number): number {
  const hi = readU32be(b, at);
  if (hi >= 0x200000) return Infinity;
  return hi * 0x100000000 + readU32be(b, at + 4);
}

