/** HKDF-SHA-256 (RFC 5869) over WebCrypto HMAC, plus WebCrypto's own HKDF for the one-shot case. */
import type { SubtleLike } from './subtle.ts';
import { concat } from './bytes.ts';

const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' };

/** HMAC-SHA-256 (RFC 2104) of `data` under `key`. An empty key is padded as RFC 2104 §2 says. */
export async function hmacSha256(subtle: SubtleLike, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  // WebCrypto refuses zero-length HMAC keys; HMAC pads keys with zeros to the block size anyway (RFC 2104 §2).
  const k = key.length === 0 ? new Uint8Array(64) : key;
  const handle = await subtle.importKey('raw', k, HMAC_SHA256, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', handle, data));
}

/** RFC 5869 §2.2 HKDF-Extract: PRK = HMAC-Hash(salt, IKM); an absent salt is HashLen zeros. */
export function hkdfExtract(subtle: SubtleLike, salt: Uint8Array, ikm: Uint8Array): Promise<Uint8Array> {
  return hmacSha256(subtle, salt.length === 0 ? new Uint8Array(32) : salt, ikm);
}

/** RFC 5869 §2.3 HKDF-Expand: T(i) = HMAC(PRK, T(i-1) | info | i), L ≤ 255·32. */
export async function hkdfExpand(subtle: SubtleLike, prk: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array> {
  if (!Number.isInteger(length) || length < 0 || length > 255 * 32) throw new RangeError('HKDF length out of range');
  const blocks: Uint8Array[] = [];
  let t: Uint8Array = new Uint8Array(0);
  for (let i = 1; blocks.length * 32 < length; i++) {
    t = await hmacSha256(subtle, prk, concat(t, info, Uint8Array.of(i)));
    blocks.push(t);
  }
  return concat(...blocks).slice(0, length);
}

/** Options of one HKDF call. */
export interface HkdfOptions {
  ikm: Uint8Array;
  salt: Uint8Array;
  info: Uint8Array;
  /** Output length in bytes. */
  length: number;
}

/** RFC 5869 HKDF-SHA-256 in one call, through WebCrypto's HKDF (the same bytes as extract-then-expand). */
export async function hkdf(subtle: SubtleLike, { ikm, salt, info, length }: HkdfOptions): Promise<Uint8Array> {
  const base = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, base, length * 8);
  return new Uint8Array(bits);
}
