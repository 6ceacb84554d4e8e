/** AES-256-GCM (NIST SP 800-38D) through WebCrypto: 12-byte nonces, 16-byte tags appended to the ciphertext. */
import type { CryptoKeyLike, SubtleLike } from './subtle.ts';
import { joinParts, Scratch, type Parts } from './parts.ts';

/** An imported AES-256-GCM key, usable for both directions of one WebCrypto call site. */
export type AesKey = CryptoKeyLike;

/** Imports 32 raw bytes as a non-extractable AES-256-GCM key. */
export function importAesKey(subtle: SubtleLike, raw: Uint8Array): Promise<AesKey> {
  if (raw.length !== 32) throw new RangeError('AES-256 keys are 32 bytes');
  return subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

/** ciphertext ‖ tag(16) of `plaintext` under `key`, `nonce` (12 bytes, never reused with this key) and `aad`. */
export async function aesGcmSeal(subtle: SubtleLike, key: AesKey, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  if (nonce.length !== 12) throw new RangeError('AES-GCM nonces are 12 bytes');
  return new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 }, key, plaintext));
}

/** `aad ‖ ciphertext ‖ tag(16)`: a frame's header then its sealed body, in one buffer where the platform can (SubtleLike). */
export async function aesGcmSealAfterAad(subtle: SubtleLike, key: AesKey, nonce: Uint8Array, plaintext: Parts, aad: Uint8Array): Promise<Uint8Array> {
  return joinParts(await aesGcmSealParts(subtle, key, nonce, plaintext, aad));
}

/** Joins a plaintext given in parts right before WebCrypto copies it (SubtleLike.encrypt): one buffer for every call. */
const plain = new Scratch();

/**
 * `aad ‖ ciphertext ‖ tag(16)` of a plaintext given in parts (a block piece's header and its bytes), as parts: the frame
 * is joined only where it is written (core/mesh/outbox.ts), into a message with others or a reused buffer. WebCrypto
 * takes one buffer and copies it before `encrypt` returns: the parts are joined into a buffer reused from call to call.
 */
export async function aesGcmSealParts(subtle: SubtleLike, key: AesKey, nonce: Uint8Array, plaintext: Parts, aad: Uint8Array): Promise<Uint8Array[]> {
  if (nonce.length !== 12) throw new RangeError('AES-GCM nonces are 12 bytes');
  const params = { name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 };
  const framed = subtle.encryptAfterAad ? await subtle.encryptAfterAad(params, key, plaintext) : null;
  if (framed) return [framed];
  // No await between the join and the call: `plain` is free again once encrypt has returned its promise.
  return [aad, new Uint8Array(await subtle.encrypt(params, key, plain.join(plaintext)))];
}

/** The plaintext, or null when the tag does not verify (wrong key, nonce, AAD, or altered bytes). */
export async function aesGcmOpen(subtle: SubtleLike, key: AesKey, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Promise<Uint8Array | null> {
  if (nonce.length !== 12 || sealed.length < 16) return null;
  try {
    return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 }, key, sealed));
  } catch {
    return null; // OperationError: authentication failed
  }
}
