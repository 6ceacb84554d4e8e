import { describe, expect, it } from 'vitest';
import { crossedTime } from './daily-time.ts';

const utc = (h: number, m: number, s = 0, day = 10) => Date.UTC(2026, 2, day, h, m, s);

describe('crossedTime', () => {
  it('is due once when a check passes the minute, not before and not on the next check', () => {
    expect(crossedTime(utc(1, 59, 40), utc(2, 0, 10), '02:00', 'UTC')).toBe(true);
    expect(crossedTime(utc(1, 59, 10), utc(1, 59, 40), '02:00', 'UTC')).toBe(false);
    expect(crossedTime(utc(2, 0, 10), utc(2, 0, 40), '02:00', 'UTC')).toBe(false);
  });

  it('catches the time after a long throttled gap, across midnight', () => {
    expect(crossedTime(utc(23, 50), utc(0, 20, 0, 11), '00:05', 'UTC')).toBe(true);
    expect(crossedTime(utc(23, 50), utc(0, 20, 0, 11), '00:30', 'UTC')).toBe(false);
  });

  it('reads the time in the given zone', () => {
    // 01:00 UTC is 02:00 in Paris in winter.
    expect(crossedTime(utc(0, 59, 45), utc(1, 0, 15), '02:00', 'Europe/Paris')).toBe(true);
    expect(crossedTime(utc(0, 59, 45), utc(1, 0, 15), '02:00', 'UTC')).toBe(false);
  });

  it('skips a time the spring DST change jumps over (Paris, 29 March 2026: 02:00 → 03:00)', () => {
    expect(crossedTime(Date.UTC(2026, 2, 29, 0, 30), Date.UTC(2026, 2, 29, 1, 30), '02:30', 'Europe/Paris')).toBe(false);
    expect(crossedTime(Date.UTC(2026, 2, 29, 0, 30), Date.UTC(2026, 2, 29, 1, 30), '03:15', 'Europe/Paris')).toBe(true);
  });
});
