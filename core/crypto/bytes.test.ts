/** Byte helpers: base64url and UTF-8 against Node's own, byte by byte; LEB128 lengths. */
import { describe, expect, it } from 'vitest';
import { fromB64u, fromUtf8, prependLen, readU64be, toB64u, toHex, u64be, utf8 } from './bytes.ts';
import { webcrypto } from 'node:crypto';
import type { Random } from '../ports.ts';

/** Node's real WebCrypto and CSPRNG behind the ports, as the edges pass them. */
const random: Random = { bytes: (n) => webcrypto.getRandomValues(new Uint8Array(n)) };

describe('bytes', () => {
  it('base64url matches Node for every length 0..64, and refuses non-canonical text', () => {
    for (let n = 0; n <= 64; n++) {
      const b = random.bytes(n);
      const s = toB64u(b);
      expect(s).toBe(Buffer.from(b).toString('base64url'));
      expect(fromB64u(s)).toEqual(b);
    }
    expect(fromB64u('A')).toBeNull();
    expect(fromB64u('AB')).toBeNull(); // spare bits set
    expect(fromB64u('a+b/')).toBeNull();
  });

  it('UTF-8 matches TextEncoder/TextDecoder, and refuses malformed bytes', () => {
    for (const s of ['', 'abc', 'é', '日本語', '🙂 ok', 'ﬁ\u0000']) {
      expect(utf8(s)).toEqual(new TextEncoder().encode(s));
      expect(fromUtf8(new TextEncoder().encode(s))).toBe(s);
    }
    for (const bad of [[0xc0, 0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xff], [0xf4, 0x90, 0x80, 0x80]]) expect(fromUtf8(Uint8Array.from(bad))).toBeNull();
  });

  it('LEB128 lengths (CPace A.1.1) and u64', () => {
    expect(toHex(prependLen(new Uint8Array(127)).subarray(0, 1))).toBe('7f');
    expect(toHex(prependLen(new Uint8Array(300)).subarray(0, 2))).toBe('ac02');
    expect(readU64be(u64be(2 ** 40 + 5), 0)).toBe(2 ** 40 + 5);
  });
});
