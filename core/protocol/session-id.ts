/** Session IDs as people read them aloud: `482-KQT-913`, digits and letters in fixed places so nothing is ambiguous. */
import type { Random } from '../ports.ts';

/** Digits appear only in the outer groups, letters only in the middle one, so 0/O and 1/I never compete for a place. */
const DIGITS = '0123456789';
/** Upper-case letters without I and O, which read as 1 and 0 in many fonts. */
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

const SESSION_ID = /^[0-9]{3}-[A-HJ-NP-Z]{3}-[0-9]{3}$/;

/** True when `text` is a session ID in canonical form (`482-KQT-913`). */
export function isSessionId(text: string): boolean {
  return SESSION_ID.test(text);
}

/**
 * Picks one character of `alphabet` uniformly from random bytes. Bytes at or above the largest
 * multiple of the alphabet size are thrown away (rejection sampling) so no character is favoured.
 */
function pick(alphabet: string, random: Random): string {
  const limit = 256 - (256 % alphabet.length);
  for (;;) {
    const [byte] = random.bytes(1);
    if (byte !== undefined && byte < limit) return alphabet.charAt(byte % alphabet.length);
  }
}

/** Draws a fresh session ID (about 33.7 bits: 10⁶ × 24³). IDs are not secrets; the PAKE password is. */
export function newSessionId(random: Random): string {
  const group = (alphabet: string) => pick(alphabet, random) + pick(alphabet, random) + pick(alphabet, random);
  return `${group(DIGITS)}-${group(LETTERS)}-${group(DIGITS)}`;
}

/**
 * Turns what a person typed into the canonical form, or returns null when it cannot be one.
 * Accepts lower case, spaces or no separators, and O/I/L typed where a digit belongs.
 */
export function normalizeSessionId(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== 9) return null;
  const digit = (c: string) => (c === 'O' ? '0' : c === 'I' || c === 'L' ? '1' : c);
  const letter = (c: string) => (c === '0' ? 'O' : c);
  const chars = [...compact].map((c, i) => (i >= 3 && i < 6 ? letter(c) : digit(c)));
  const id = `${chars.slice(0, 3).join('')}-${chars.slice(3, 6).join('')}-${chars.slice(6).join('')}`;
  return isSessionId(id) ? id : null;
}

/**
 * A standing group's run meets under a rendezvous (docs/protocol.md §11): `g-` and 32 lower-case hex digits (128 bits
 * derived from the group secret), never mistaken for an ad-hoc ID.
 */
export const RENDEZVOUS = /^g-[0-9a-f]{32}$/;
