/** Session passwords: 16 symbols of Crockford's base32 (80 bits), grouped by four, and forgiving normalization. */
import type { Random } from '../ports.ts';
import { utf8 } from './bytes.ts';

/** Crockford's base32 alphabet: digits and capitals without I, L, O, U (https://www.crockford.com/base32.html). */
export const PASSWORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Symbols in a password. */
export const PASSWORD_SYMBOLS = 16;
/** Entropy of a generated password: 16 × log2(32). */
export const PASSWORD_BITS = 80;

/** Groups 16 symbols as `XXXX-XXXX-XXXX-XXXX`. */
function group(symbols: string): string {
  return symbols.match(/.{4}/g)!.join('-');
}

/** A new password such as `KQT4-M9PX-7HWD-3RZN`: each symbol from 5 uniform random bits (32 divides 256, no bias). */
export function generatePassword(random: Random): string {
  const bytes = random.bytes(PASSWORD_SYMBOLS);
  let s = '';
  for (let i = 0; i < PASSWORD_SYMBOLS; i++) s += PASSWORD_ALPHABET[(bytes[i] as number) & 31];
  return group(s);
}

/** Confusable characters read as the symbol they were meant for (Crockford's decoding rules). */
const CONFUSABLE: Record<string, string> = { O: '0', I: '1', L: '1' };

/**
 * The canonical form (`KQT4-M9PX-7HWD-3RZN`) of what someone typed or pasted, or null when it cannot be a
 * password. Forgives case, spaces, dashes of any kind, dots and underscores, full-width characters (NFKC),
 * and O/I/L for 0/1/1.
 */
export function normalizePassword(typed: string): string | null {
  const compact = typed
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-_.\u2010-\u2015\u2212]/g, '');
  let s = '';
  for (const ch of compact) {
    const c = CONFUSABLE[ch] ?? ch;
    if (!PASSWORD_ALPHABET.includes(c)) return null;
    s += c;
  }
  return s.length === PASSWORD_SYMBOLS ? group(s) : null;
}

/**
 * The CPace PRS of a password (draft-irtf-cfrg-cpace §4.1): the 16 canonical symbols in ASCII, so
 * every way of typing the same password gives the same bytes. Input that does not normalize is
 * used as typed (trimmed): it simply cannot match, and the join fails as a wrong password.
 */
export function passwordPrs(typed: string): Uint8Array {
  const canonical = normalizePassword(typed);
  return utf8(canonical === null ? typed.trim() : canonical.replace(/-/g, ''));
}
