/** HKDF-SHA-256 against RFC 5869 Appendix A, through both paths (HMAC extract/expand and WebCrypto HKDF). */
import { describe, expect, it } from 'vitest';
import vectors from './vectors/hkdf-rfc5869.json';
import { fromHex, toHex } from './bytes.ts';
import { hkdf, hkdfExpand, hkdfExtract } from './hkdf.ts';
import { webcrypto } from 'node:crypto';
import type { SubtleLike } from './subtle.ts';

/** Node's real WebCrypto and CSPRNG behind the ports, as the edges pass them. */
const subtle = webcrypto.subtle as unknown as SubtleLike;

type Derive = (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number) => Promise<Uint8Array>;
const impls: [string, Derive][] = [
  ['WebCrypto HKDF', (ikm, salt, info, length) => hkdf(subtle, { ikm, salt, info, length })],
  ['HMAC extract+expand', async (ikm, salt, info, length) => hkdfExpand(subtle, await hkdfExtract(subtle, salt, ikm), info, length)],
];

describe.each(impls)('HKDF-SHA-256 (RFC 5869) via %s', (_name, derive) => {
  it.each(vectors.cases)('$name', async (c) => {
    expect(toHex(await derive(fromHex(c.ikm), fromHex(c.salt), fromHex(c.info), c.length))).toBe(c.okm);
  });
});

describe('HKDF steps', () => {
  it.each(vectors.cases)('$name: PRK and every output length prefix', async (c) => {
    const prk = await hkdfExtract(subtle, fromHex(c.salt), fromHex(c.ikm));
    expect(toHex(prk)).toBe(c.prk);
    // Expand is prefix-stable (RFC 5869 §2.3): every shorter output is a prefix of the full one.
    for (const len of [1, 31, 32, 33, c.length]) {
      expect(toHex(await hkdfExpand(subtle, prk, fromHex(c.info), len))).toBe(c.okm.slice(0, 2 * len));
    }
  });
});
