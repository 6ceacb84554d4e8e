/** Session passwords: format, entropy, uniformity, and normalization of what people type. */
import { describe, expect, it } from 'vitest';
import { PASSWORD_ALPHABET, PASSWORD_BITS, generatePassword, normalizePassword, passwordPrs } from './password.ts';
import { webcrypto } from 'node:crypto';
import type { Random } from '../ports.ts';
import { SeededRandom } from '../testing/seeded-random.ts';

/** Node's real WebCrypto and CSPRNG behind the ports, as the edges pass them. */
const random: Random = { bytes: (n) => webcrypto.getRandomValues(new Uint8Array(n)) };

describe('passwords', () => {
  it('look like KQT4-M9PX-7HWD-3RZN and carry ≥ 60 bits', () => {
    expect(PASSWORD_ALPHABET.length).toBe(32);
    expect(new Set(PASSWORD_ALPHABET).size).toBe(32);
    expect(PASSWORD_ALPHABET).not.toMatch(/[ILOU]/);
    expect(PASSWORD_BITS).toBe(16 * Math.log2(PASSWORD_ALPHABET.length));
    expect(PASSWORD_BITS).toBeGreaterThanOrEqual(60);
    for (let i = 0; i < 100; i++) {
      const pw = generatePassword(random);
      expect(pw).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      expect(normalizePassword(pw)).toBe(pw);
    }
  });

  it('uses every symbol about equally (no modulo bias)', () => {
    const counts = new Map<string, number>();
    const r = new SeededRandom(42);
    for (let i = 0; i < 2000; i++) for (const ch of generatePassword(r).replace(/-/g, '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(32);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(150); // 32000 draws, σ ≈ 31
  });

  it.each([
    ['kqt4-m9px-7hwd-3rzn', 'KQT4-M9PX-7HWD-3RZN'],
    ['KQT4M9PX7HWD3RZN', 'KQT4-M9PX-7HWD-3RZN'],
    ['  kqt4 m9px 7hwd 3rzn ', 'KQT4-M9PX-7HWD-3RZN'],
    ['KQT4–M9PX—7HWD_3RZN', 'KQT4-M9PX-7HWD-3RZN'],
    ['ＫＱＴ４-M9PX-7HWD-3RZN', 'KQT4-M9PX-7HWD-3RZN'],
    ['OoIi-Ll00-1111-2222', '0011-1100-1111-2222'],
  ])('normalizes %j', (typed, canonical) => {
    expect(normalizePassword(typed)).toBe(canonical);
  });

  it.each(['', 'KQT4-M9PX-7HWD', 'KQT4-M9PX-7HWD-3RZN-A', 'KQT4-M9PX-7HWD-3RZU', 'KQT4-M9PX-7HWD-3RZ!'])('refuses %j', (typed) => {
    expect(normalizePassword(typed)).toBeNull();
  });

  it('every spelling of one password gives the same CPace PRS', () => {
    expect(passwordPrs('kqt4 m9px 7hwd 3rzn')).toEqual(passwordPrs('KQT4-M9PX-7HWD-3RZN'));
    expect(new TextDecoder().decode(passwordPrs('KQT4-M9PX-7HWD-3RZN'))).toBe('KQT4M9PX7HWD3RZN');
  });
});
