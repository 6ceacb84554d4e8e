/** CPace over ristretto255 with SHA-512 (draft-irtf-cfrg-cpace-21, cipher suite CPACE-RISTR255-SHA512, §8.3). */
import type { Random } from '../ports.ts';
import type { Sodium } from './sodium.ts';
import type { SubtleLike } from './subtle.ts';
import { concat, lvCat, prependLen, utf8 } from './bytes.ts';

/** G_Ristretto255.DSI (§8.3). */
export const DSI = utf8('CPaceRistretto255');
/** SHA-512's input block size, H.s_in_bytes (§6.2). */
const S_IN_BYTES = 128;

/** §8.1 / Appendix A.2 generator_string(DSI, PRS, CI, sid, s_in_bytes) = lv_cat(DSI, PRS, zero_bytes(len_zpad), CI, sid). */
export function generatorString(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): Uint8Array {
  const zpad = Math.max(0, S_IN_BYTES - prependLen(prs).length - prependLen(DSI).length - 1);
  return lvCat(DSI, prs, new Uint8Array(zpad), ci, sid);
}

/**
 * §8.3 G.calculate_generator(H, PRS, CI, sid): SHA-512 of the generator string (2 × 32 bytes), then the
 * ristretto255 element derivation (RFC 9496 §4.3.4, libsodium `crypto_core_ristretto255_from_hash`).
 * Returns the encoded generator g.
 */
export function calculateGenerator(sodium: Sodium, prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): Uint8Array {
  const hash = sodium.crypto_hash_sha512(generatorString(prs, ci, sid));
  return sodium.crypto_core_ristretto255_from_hash(hash);
}

/**
 * §8.3 G.sample_scalar(): 32 random bytes with the bits above group_size_bits (252) cleared, read
 * little-endian. A zero scalar (probability 2^-252) is drawn again so scalar_mult never meets the identity.
 */
export function sampleScalar(random: Random): Uint8Array {
  for (;;) {
    const y = random.bytes(32);
    y[31] = (y[31] as number) & 0x0f;
    if (y.some((b) => b !== 0)) return y;
  }
}

/** §8.3 G.scalar_mult(y, g): encode(y · g) for our own share Y = y · g. */
export function scalarMult(sodium: Sodium, y: Uint8Array, g: Uint8Array): Uint8Array {
  return sodium.crypto_scalarmult_ristretto255(y, g);
}

/**
 * §8.3 G.scalar_mult_vfy(y, X): encode(y · decode(X)), or null for G.I when X does not decode
 * (libsodium rejects non-canonical encodings) or the result is the identity (§7.2: MUST abort).
 */
export function scalarMultVfy(sodium: Sodium, y: Uint8Array, x: Uint8Array): Uint8Array | null {
  if (x.length !== 32 || !sodium.crypto_core_ristretto255_is_valid_point(x)) return null;
  try {
    const k = sodium.crypto_scalarmult_ristretto255(y, x);
    return k.every((b) => b === 0) ? null : k;
  } catch {
    return null; // libsodium refuses an identity result
  }
}

/** §6.3 / A.3.4 transcript_ir(Ya, ADa, Yb, ADb) = lv_cat(Ya, ADa) ‖ lv_cat(Yb, ADb) (initiator-responder). */
export function transcriptIr(ya: Uint8Array, ada: Uint8Array, yb: Uint8Array, adb: Uint8Array): Uint8Array {
  return concat(lvCat(ya, ada), lvCat(yb, adb));
}

/** §6.3 / A.3.2 o_cat: b"oc" then the lexicographically larger string first. */
export function oCat(a: Uint8Array, b: Uint8Array): Uint8Array {
  return compareLex(a, b) >= 0 ? concat(utf8('oc'), a, b) : concat(utf8('oc'), b, a);
}

/** §6.3 / A.3.6 transcript_oc(Ya, ADa, Yb, ADb) = o_cat(lv_cat(Ya, ADa), lv_cat(Yb, ADb)) (symmetric setting). */
export function transcriptOc(ya: Uint8Array, ada: Uint8Array, yb: Uint8Array, adb: Uint8Array): Uint8Array {
  return oCat(lvCat(ya, ada), lvCat(yb, adb));
}

/** A.3.1 lexiographically_larger: byte-wise from the start; on a common prefix the longer one is larger. */
function compareLex(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  }
  return a.length - b.length;
}

/** §7.2 ISK = H.hash(lv_cat(G.DSI ‖ b"_ISK", sid, K) ‖ transcript). 64 bytes. */
export function deriveIsk(sodium: Sodium, sid: Uint8Array, k: Uint8Array, transcript: Uint8Array): Uint8Array {
  return sodium.crypto_hash_sha512(concat(lvCat(concat(DSI, utf8('_ISK')), sid, k), transcript));
}

/** §10.6 sid_output = H.hash(b"CPaceSidOutput" ‖ transcript): a public identifier of this run. */
export function sidOutput(sodium: Sodium, transcript: Uint8Array): Uint8Array {
  return sodium.crypto_hash_sha512(concat(utf8('CPaceSidOutput'), transcript));
}

/**
 * §10.4 key confirmation: mac_key = H.hash(b"CPaceMac" ‖ sid ‖ ISK); each party's tag is
 * HMAC-SHA-512(mac_key, lv_cat(Y, AD)) over the message it sent (RFC 2104, via WebCrypto).
 */
export async function confirmationTag(
  sodium: Sodium,
  subtle: SubtleLike,
  sid: Uint8Array,
  isk: Uint8Array,
  y: Uint8Array,
  ad: Uint8Array,
): Promise<Uint8Array> {
  const macKey = sodium.crypto_hash_sha512(concat(utf8('CPaceMac'), sid, isk));
  const key = await subtle.importKey('raw', macKey, { name: 'HMAC', hash: 'SHA-512' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', key, lvCat(y, ad)));
}
