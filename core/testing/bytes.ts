/** Byte helpers for tests and fakes: UTF-8 without TextEncoder (core/ has no DOM or Node types). */

import { utf8 } from '../bytes.ts';

export { utf8 };

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

/** Log-like text, deterministic from `seed`. */
export function logText(bytes: number, seed = 1): Uint8Array {
  const words = ['GET', 'PUT', '/api/items', 'ok', 'miss', 'user', 'session', 'timeout', 'connected', 'retry'];
  let x = seed;
  let s = '';
  while (s.length < bytes) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    s += `2026-11-30T00:${String(x % 60).padStart(2, '0')} ${words[x % 10]} ${words[(x >>> 8) % 10]} id=${x.toString(16)}\n`;
  }
  return utf8(s.slice(0, bytes));
}
