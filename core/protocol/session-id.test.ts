/** Tests for session IDs: format, uniform drawing, normalization of what people type. */
import { describe, expect, it } from 'vitest';
import { isSessionId, newSessionId, normalizeSessionId } from './session-id.ts';
import type { Random } from '../ports.ts';

/** A Random that replays the given bytes, then repeats the last one. */
function replay(bytes: number[]): Random {
  let i = 0;
  return { bytes: (n) => Uint8Array.from({ length: n }, () => bytes[Math.min(i++, bytes.length - 1)] ?? 0) };
}

describe('session IDs', () => {
  it('draws DDD-LLL-DDD from random bytes', () => {
    const id = newSessionId(replay([4, 8, 2, 9, 14, 17, 9, 1, 3]));
    expect(id).toBe('482-KQT-913');
    expect(isSessionId(id)).toBe(true);
  });

  it('rejects bytes that would bias the choice', () => {
    // 250..255 would favour digits 0..5 (256 % 10 = 6), so they are skipped.
    expect(newSessionId(replay([250, 255, 7, 7, 7, 240, 0, 0, 0, 0, 0, 0]))).toBe('777-AAA-000');
  });

  it('never produces ambiguous letters', () => {
    let seed = 1;
    const lcg: Random = { bytes: (n) => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff) };
    for (let i = 0; i < 500; i++) {
      const id = newSessionId(lcg);
      expect(isSessionId(id)).toBe(true);
      expect(id).not.toMatch(/[IO]/);
    }
  });

  it.each([
    ['482-KQT-913', '482-KQT-913'],
    ['482kqt913', '482-KQT-913'],
    [' 482 kqt 913 ', '482-KQT-913'],
    ['48l-kqt-9I3', '481-KQT-913'],
  ])('normalizes %j', (input, expected) => {
    expect(normalizeSessionId(input)).toBe(expected);
  });

  it('refuses what cannot be an ID', () => {
    expect(normalizeSessionId('482-KQT-91')).toBeNull();
    expect(normalizeSessionId('ABC-123-DEF')).toBeNull();
    // O is not in the letter alphabet, so a 0 typed in the middle group cannot be mended.
    expect(normalizeSessionId('482-K0T-913')).toBeNull();
    expect(isSessionId('482-KQI-913')).toBe(false);
  });
});
