/** The in-thread AES-GCM against the GCM spec's vectors and against WebCrypto itself, both ways, tampering refused. */
import { describe, expect, it } from 'vitest';
import { randomBytes, webcrypto } from 'node:crypto';
import vectors from '../../core/crypto/vectors/aes-gcm-256.json';
import { fromHex, toHex } from '../../core/crypto/bytes.ts';
import { aesGcmOpen, aesGcmSeal, aesGcmSealAfterAad, aesGcmSealParts, importAesKey } from '../../core/crypto/aes-gcm.ts';
import { joinParts } from '../../core/crypto/parts.ts';
import { FrameOpener, FrameSealer } from '../../core/crypto/frame.ts';
import type { SubtleLike } from '../../core/crypto/subtle.ts';
import { inlineAesGcm } from './inline-aes-gcm.ts';

const web = webcrypto.subtle as unknown as SubtleLike;
const inline = inlineAesGcm(web);

describe('inlineAesGcm', () => {
  it.each(vectors.cases)('$name seals to C ‖ T and opens back', async (c) => {
    const key = await importAesKey(inline, fromHex(c.key));
    const sealed = await aesGcmSeal(inline, key, fromHex(c.iv), fromHex(c.plaintext), fromHex(c.aad));
    expect(toHex(sealed)).toBe(c.ciphertext + c.tag);
    expect(toHex((await aesGcmOpen(inline, key, fromHex(c.iv), sealed, fromHex(c.aad)))!)).toBe(c.plaintext);
  });

  it('reads what WebCrypto sealed and WebCrypto reads what it sealed (256 KiB, with AAD)', async () => {
    const raw = randomBytes(32);
    const [mine, theirs] = [await importAesKey(inline, raw), await importAesKey(web, raw)];
    const iv = randomBytes(12);
    const aad = randomBytes(16);
    const data = randomBytes(256 * 1024);
    const byWeb = await aesGcmSeal(web, theirs, iv, data, aad);
    expect(await aesGcmSeal(inline, mine, iv, data, aad)).toEqual(byWeb);
    expect(await aesGcmOpen(inline, mine, iv, byWeb, aad)).toEqual(new Uint8Array(data));
    expect(await aesGcmOpen(web, theirs, iv, await aesGcmSeal(inline, mine, iv, data, aad), aad)).toEqual(new Uint8Array(data));
  });

  it('refuses a flipped bit, other AAD, a cut tag and another key', async () => {
    const key = await importAesKey(inline, randomBytes(32));
    const iv = randomBytes(12);
    const sealed = await aesGcmSeal(inline, key, iv, Uint8Array.of(1, 2, 3), Uint8Array.of(9));
    for (const i of [0, sealed.length - 1]) {
      const bad = sealed.slice();
      bad[i]! ^= 1;
      expect(await aesGcmOpen(inline, key, iv, bad, Uint8Array.of(9))).toBeNull();
    }
    expect(await aesGcmOpen(inline, key, iv, sealed, Uint8Array.of(8))).toBeNull();
    expect(await aesGcmOpen(inline, key, iv, sealed.subarray(0, sealed.length - 1), Uint8Array.of(9))).toBeNull();
    expect(await aesGcmOpen(inline, key, iv, sealed.subarray(0, 15), Uint8Array.of(9))).toBeNull();
    expect(await aesGcmOpen(inline, await importAesKey(inline, randomBytes(32)), iv, sealed, Uint8Array.of(9))).toBeNull();
  });

  it.each(vectors.cases)('$name seals after its AAD in one buffer to A ‖ C ‖ T, as WebCrypto then a copy does', async (c) => {
    const [key, webKey] = [await importAesKey(inline, fromHex(c.key)), await importAesKey(web, fromHex(c.key))];
    const framed = await aesGcmSealAfterAad(inline, key, fromHex(c.iv), fromHex(c.plaintext), fromHex(c.aad));
    expect(toHex(framed)).toBe(c.aad + c.ciphertext + c.tag);
    expect(toHex(await aesGcmSealAfterAad(web, webKey, fromHex(c.iv), fromHex(c.plaintext), fromHex(c.aad)))).toBe(toHex(framed));
  });

  it('seals a plaintext in parts (a piece header and its bytes) as the same bytes joined', async () => {
    const raw = randomBytes(32);
    const [key, webKey] = [await importAesKey(inline, raw), await importAesKey(web, raw)];
    const [iv, aad] = [randomBytes(12), randomBytes(16)];
    const parts = [randomBytes(17), randomBytes(0), randomBytes(262_095)];
    const framed = joinParts(await aesGcmSealParts(inline, key, iv, parts, aad));
    expect(toHex(framed)).toBe(toHex(await aesGcmSealAfterAad(web, webKey, iv, joinParts(parts), aad)));
    expect(toHex((await aesGcmOpen(web, webKey, iv, framed.subarray(16), aad))!)).toBe(toHex(joinParts(parts)));
  });

  it('carries data-channel frames between a member using it and one using WebCrypto', async () => {
    const channel = { key: randomBytes(32), iv: randomBytes(12) };
    const sealer = await FrameSealer.create(inline, channel, 3);
    const opener = await FrameOpener.create(web, channel, 3);
    for (const size of [0, 17, 262_000]) {
      const data = randomBytes(size);
      const opened = await opener.open(await sealer.seal(data));
      expect(opened.ok && toHex(opened.plaintext)).toBe(toHex(data));
    }
  });

  it('leaves keys it does not serve to WebCrypto (an extractable key, another algorithm)', async () => {
    // WebCrypto itself accepts them: they are its CryptoKeys, not handles of this module.
    const key = await inline.importKey('raw', randomBytes(32), { name: 'AES-GCM' }, true, ['encrypt']);
    await expect(web.encrypt({ name: 'AES-GCM', iv: randomBytes(12) }, key, Uint8Array.of(1))).resolves.toBeInstanceOf(ArrayBuffer);
    const hmac = await inline.importKey('raw', randomBytes(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    await expect(web.sign('HMAC', hmac, Uint8Array.of(1))).resolves.toBeInstanceOf(ArrayBuffer);
  });
});
