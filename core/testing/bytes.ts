/** Byte helpers for tests and fakes: UTF-8 without TextEncoder (core/ has no DOM or Node types). */

export { utf8 } from '../bytes.ts';

/** Deterministic pseudo-random bytes (for large test files without a Random port). */
export function patternBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}
