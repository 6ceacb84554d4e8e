/** The structural subset of WebCrypto's SubtleCrypto that core/crypto uses (core has no DOM lib). */

/** An opaque WebCrypto key handle; core never looks inside. */
export type CryptoKeyLike = object;

/** Algorithm parameters, as plain objects (W3C Web Cryptography API §11–§30). */
export type AlgorithmLike = string | { name: string; [k: string]: unknown };

/**
 * What core/crypto needs from `crypto.subtle`. The browser's and Node ≥ 20's
 * `globalThis.crypto.subtle` satisfy it structurally; pass it in from the edge.
 */
export interface SubtleLike {
  importKey(
    format: 'raw',
    keyData: Uint8Array,
    algorithm: AlgorithmLike,
    extractable: boolean,
    keyUsages: string[],
  ): Promise<CryptoKeyLike>;
  /**
   * Reads `data` before it returns its promise (WebCrypto §14.3.2: "a copy of the bytes held by the data parameter"),
   * so the caller may reuse that buffer at once (aes-gcm.ts joins each frame's plaintext into one reused buffer).
   */
  encrypt(algorithm: AlgorithmLike, key: CryptoKeyLike, data: Uint8Array): Promise<ArrayBuffer>;
  decrypt(algorithm: AlgorithmLike, key: CryptoKeyLike, data: Uint8Array): Promise<ArrayBuffer>;
  sign(algorithm: AlgorithmLike, key: CryptoKeyLike, data: Uint8Array): Promise<ArrayBuffer>;
  verify(algorithm: AlgorithmLike, key: CryptoKeyLike, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
  deriveBits(algorithm: AlgorithmLike, baseKey: CryptoKeyLike, length: number): Promise<ArrayBuffer>;
  digest(algorithm: AlgorithmLike, data: Uint8Array): Promise<ArrayBuffer>;
  /**
   * Optional, not WebCrypto (Node's inline AES-GCM, adapters/node/inline-aes-gcm.ts): `additionalData ‖ ciphertext ‖
   * tag` of an AES-GCM `encrypt` in one new buffer, which is what a data-channel frame is (frame.ts): a 256 KiB frame
   * is then not copied twice more after sealing. `data` may come in parts (a block piece's header and bytes), read in
   * order before it returns, as `encrypt` does. Resolves null for a call it does not serve (the caller encrypts).
   */
  encryptAfterAad?(algorithm: AlgorithmLike, key: CryptoKeyLike, data: Uint8Array | readonly Uint8Array[]): Promise<Uint8Array | null>;
}
