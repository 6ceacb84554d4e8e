/** AES-256-GCM through the WebCrypto wrapper against McGrew–Viega test cases 13–16. */
import { describe, expect, it } from 'vitest';
import vectors from './vectors/aes-gcm-256.json';
import { fromHex, toHex } from './bytes.ts';
import { aesGcmOpen, aesGcmSeal, aesGcmSealParts, importAesKey } from './aes-gcm.ts';
import { joinParts } from './parts.ts';
import { webcrypto } from 'node:crypto';
import type { SubtleLike } from './subtle.ts';

/** Node's real WebCrypto and CSPRNG behind the ports, as the edges pass them. */
const subtle = webcrypto.subtle as unknown as SubtleLike;

describe('AES-256-GCM (GCM spec, Appendix B)', () => {
  it.each(vectors.cases)('$name seals to C ‖ T and opens back', async (c) => {
    const key = await importAesKey(subtle, fromHex(c.key));
    const sealed = await aesGcmSeal(subtle, key, fromHex(c.iv), fromHex(c.plaintext), fromHex(c.aad));
    expect(toHex(sealed)).toBe(c.ciphertext + c.tag);
    expect(toHex((await aesGcmOpen(subtle, key, fromHex(c.iv), sealed, fromHex(c.aad)))!)).toBe(c.plaintext);
  });

  it.each(vectors.cases)('$name: any flipped bit, other AAD or a cut tag fails', async (c) => {
    const key = await importAesKey(subtle, fromHex(c.key));
    const sealed = fromHex(c.ciphertext + c.tag);
    for (const i of [0, sealed.length - 1]) {
      const bad = sealed.slice();
      bad[i]! ^= 1;
      expect(await aesGcmOpen(subtle, key, fromHex(c.iv), bad, fromHex(c.aad))).toBeNull();
    }
    expect(await aesGcmOpen(subtle, key, fromHex(c.iv), sealed, Uint8Array.of(1))).toBeNull();
    expect(await aesGcmOpen(subtle, key, fromHex(c.iv), sealed.subarray(0, sealed.length - 1), fromHex(c.aad))).toBeNull();
  });

  it('seals a plaintext in parts as the same plaintext joined, several calls in flight through one reused buffer', async () => {
    const key = await importAesKey(subtle, new Uint8Array(32).fill(3));
    const aad = Uint8Array.of(1, 2, 3);
    const plain = (k: number) => Array.from({ length: 3 }, (_, i) => new Uint8Array(1000 * (i + 1)).fill(k * 10 + i));
    const nonce = (k: number) => new Uint8Array(12).fill(k);
    // Started together: the second call's parts are joined over the first's before the first resolves.
    const sealed = await Promise.all([1, 2, 3].map((k) => aesGcmSealParts(subtle, key, nonce(k), plain(k), aad)));
    for (const [i, frame] of sealed.entries()) {
      const k = i + 1;
      expect(toHex(frame[0]!)).toBe(toHex(aad));
      const body = joinParts(frame.slice(1));
      expect(toHex(body)).toBe(toHex(await aesGcmSeal(subtle, key, nonce(k), joinParts(plain(k)), aad)));
      expect(toHex((await aesGcmOpen(subtle, key, nonce(k), body, aad))!)).toBe(toHex(joinParts(plain(k))));
    }
  });
});
