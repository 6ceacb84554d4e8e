/** Byte helpers every part of core shares: UTF-8 (the native Encoding API), hex, concatenation, equality. */

/**
 * The WHATWG Encoding API, typed here because core's lib is ES2022 only. Every runtime core runs in has it (browsers,
 * workers, Node ≥ 11); it runs natively, where a loop over code points took 5.7 s for 16 MiB (issue 9, finding 4).
 */
interface Utf8Codecs {
  TextEncoder: new () => { encode(input: string): Uint8Array };
  TextDecoder: new (label: 'utf-8', options: { fatal: boolean; ignoreBOM: boolean }) => { decode(input: Uint8Array): string };
}
const codecs = globalThis as unknown as Utf8Codecs;
const encoder = new codecs.TextEncoder();
// fatal: malformed bytes throw instead of becoming U+FFFD; ignoreBOM: a leading U+FEFF is text, kept as sent.
const decoder = new codecs.TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 bytes of a string. Lone surrogates become U+FFFD (as TextEncoder does). */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** The string of UTF-8 bytes, or null when they are not well-formed UTF-8 (overlong, surrogates, past U+10FFFF, cut). */
export function fromUtf8(b: Uint8Array): string | null {
  try {
    return decoder.decode(b);
  } catch {
    return null; // TypeError from the fatal decoder; a string too long for the engine (RangeError) is refused too
  }
}

/** The concatenation of byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Equality in time independent of where the bytes differ. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= (a[i] as number) ^ (b[i] as number);
  return d === 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of bytes (a table lookup per byte: block hashes are hexed by the thousand). */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b];
  return out;
}

/** Bytes of a hex string; throws on bad input (for constants and tests). */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error('bad hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
