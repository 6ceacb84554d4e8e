/** A SubtleLike whose AES-GCM runs in the calling thread through node:crypto; everything else is WebCrypto's. */
import { createCipheriv, createDecipheriv, type CipherGCMTypes } from 'node:crypto';
import type { AlgorithmLike, CryptoKeyLike, SubtleLike } from '../../core/crypto/subtle.ts';

/**
 * Why: Node's WebCrypto runs every encrypt/decrypt as a libuv thread-pool job, after copying the input. A data-channel
 * frame (≤ 256 KiB) seals in ~0.1 ms with AES-NI, less than the job's hand-off and wake-up on a busy machine, and the
 * mesh opens one peer's frames strictly one after another (frame.ts): each waited for a pool thread shared with every
 * file read and write. Here a frame is sealed or opened at once, with the same OpenSSL AES-GCM underneath. The raw
 * key stays in a WeakMap behind an opaque handle, as WebCrypto keeps it behind a CryptoKey.
 */
const rawKeys = new WeakMap<CryptoKeyLike, Buffer>();

const GCM: Record<number, CipherGCMTypes> = { 16: 'aes-128-gcm', 24: 'aes-192-gcm', 32: 'aes-256-gcm' };
const TAG_BYTES = 16;

interface GcmParams {
  name: string;
  iv: Uint8Array;
  additionalData?: Uint8Array;
  tagLength?: number;
}

/** The key and parameters of an AES-GCM call this module serves (its own keys, 128-bit tags), or null. */
function gcmCall(algorithm: AlgorithmLike, key: CryptoKeyLike): { raw: Buffer; p: GcmParams } | null {
  const raw = rawKeys.get(key);
  if (!raw || typeof algorithm !== 'object' || algorithm.name !== 'AES-GCM') return null;
  const p = algorithm as unknown as GcmParams;
  return (p.tagLength ?? 128) === 128 ? { raw, p } : null;
}

/**
 * One exact ArrayBuffer of the parts (a Buffer's own may be a slice of Node's shared pool). A single part that owns its
 * whole buffer is handed over as is: a 256 KiB frame is not copied once more (each copy is garbage to collect).
 */
function joined(...parts: Uint8Array[]): ArrayBuffer {
  const whole = parts.filter((p) => p.length > 0);
  const only = whole.length === 1 ? whole[0] : undefined;
  if (only && only.byteOffset === 0 && only.byteLength === only.buffer.byteLength && only.buffer instanceof ArrayBuffer) return only.buffer;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.buffer;
}

/** The error WebCrypto rejects with when a tag does not verify (core/crypto/aes-gcm.ts turns any rejection into null). */
const operationError = () => Object.assign(new Error('The operation failed for an operation-specific reason'), { name: 'OperationError' });

/** `base` (WebCrypto's subtle) with AES-GCM keys imported here and their encrypt/decrypt done in this thread. */
export function inlineAesGcm(base: SubtleLike): SubtleLike {
  return {
    importKey: async (format, keyData, algorithm, extractable, usages) => {
      const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
      if (format !== 'raw' || name !== 'AES-GCM' || extractable || !GCM[keyData.length]) return base.importKey(format, keyData, algorithm, extractable, usages);
      const key: CryptoKeyLike = Object.freeze({ type: 'secret', algorithm: { name, length: keyData.length * 8 }, extractable: false, usages: [...usages] });
      rawKeys.set(key, Buffer.from(keyData)); // a copy: the caller may wipe its bytes
      return key;
    },
    encrypt: async (algorithm, key, data) => {
      const call = gcmCall(algorithm, key);
      if (!call) return base.encrypt(algorithm, key, data);
      const cipher = createCipheriv(GCM[call.raw.length] as CipherGCMTypes, call.raw, call.p.iv, { authTagLength: TAG_BYTES });
      if (call.p.additionalData) cipher.setAAD(call.p.additionalData);
      const body = cipher.update(data);
      return joined(body, cipher.final(), cipher.getAuthTag());
    },
    decrypt: async (algorithm, key, data) => {
      const call = gcmCall(algorithm, key);
      if (!call) return base.decrypt(algorithm, key, data);
      if (data.length < TAG_BYTES) throw operationError();
      const decipher = createDecipheriv(GCM[call.raw.length] as CipherGCMTypes, call.raw, call.p.iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      if (call.p.additionalData) decipher.setAAD(call.p.additionalData);
      const body = decipher.update(data.subarray(0, data.length - TAG_BYTES));
      try {
        return joined(body, decipher.final());
      } catch {
        throw operationError();
      }
    },
    encryptAfterAad: async (algorithm, key, data) => {
      const call = gcmCall(algorithm, key);
      const aad = call?.p.additionalData;
      if (!call || !aad) return null;
      const cipher = createCipheriv(GCM[call.raw.length] as CipherGCMTypes, call.raw, call.p.iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad);
      // A piece's header and bytes go through the cipher one after the other: never joined into one plaintext.
      const parts = data instanceof Uint8Array ? [data] : data;
      const bodies = parts.map((part) => cipher.update(part));
      bodies.push(cipher.final()); // empty for GCM, but it is what computes the tag
      // Every byte of it is written below: not zeroed first (a 256 KiB memset per frame was ~10% of a sender's main thread).
      const out = new Uint8Array(Buffer.allocUnsafeSlow(aad.length + bodies.reduce((n, b) => n + b.length, 0) + TAG_BYTES).buffer);
      out.set(aad);
      let at = aad.length;
      for (const body of bodies) {
        out.set(body, at);
        at += body.length;
      }
      out.set(cipher.getAuthTag(), at);
      return out;
    },
    sign: (algorithm, key, data) => base.sign(algorithm, key, data),
    verify: (algorithm, key, signature, data) => base.verify(algorithm, key, signature, data),
    deriveBits: (algorithm, key, length) => base.deriveBits(algorithm, key, length),
    digest: (algorithm, data) => base.digest(algorithm, data),
  };
}
