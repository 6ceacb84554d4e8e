import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatWall, instantOf, isTimeZone, nextDailyAt, parseClockTime, wallTimeAt, type DailyTime } from './zoned-time.ts';

const PARIS = 'Europe/Paris';
const iso = (t: number) => new Date(t).toISOString();

describe('parseClockTime', () => {
  it('reads HH:MM and HH:MM:SS, 24 h, and refuses the rest', () => {
    expect(parseClockTime('02:30')).toEqual({ hour: 2, minute: 30, second: 0 });
    expect(parseClockTime('23:59:58')).toEqual({ hour: 23, minute: 59, second: 58 });
    for (const bad of ['24:00', '2:30', '12:60', '12:00:60', '12h', '']) expect(parseClockTime(bad)).toBeUndefined();
  });
});

describe('isTimeZone', () => {
  it('knows IANA zones and refuses made-up ones', () => {
    expect(isTimeZone(PARIS)).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Atlantis')).toBe(false);
  });
});

describe('nextDailyAt in Europe/Paris', () => {
  const at = (hour: number, minute: number, second = 0): DailyTime => ({ hour, minute, second });

  it('spring forward (2026-03-29): a skipped 02:30 runs at the first instant after the gap, 03:00 CEST', () => {
    const t = nextDailyAt(Date.UTC(2026, 2, 28, 12), at(2, 30), PARIS);
    expect(iso(t)).toBe('2026-03-29T01:00:00.000Z');
    expect(formatWall(t, PARIS)).toBe('2026-03-29 03:00:00 Europe/Paris');
    // The day after, 02:30 exists again (CEST, UTC+2).
    expect(iso(nextDailyAt(t + 1, at(2, 30), PARIS))).toBe('2026-03-30T00:30:00.000Z');
  });

  it('spring forward: times either side of the gap keep their own offset', () => {
    expect(iso(nextDailyAt(Date.UTC(2026, 2, 28, 12), at(1, 59), PARIS))).toBe('2026-03-29T00:59:00.000Z');
    expect(iso(nextDailyAt(Date.UTC(2026, 2, 28, 12), at(3, 1), PARIS))).toBe('2026-03-29T01:01:00.000Z');
  });

  it('fall back (2026-10-25): a repeated 02:30 runs at its first instant, once', () => {
    const first = nextDailyAt(Date.UTC(2026, 9, 24, 12), at(2, 30), PARIS);
    expect(iso(first)).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
    // The second 02:30 (CET, 01:30Z) is not another run: the next is the day after.
    expect(iso(nextDailyAt(first + 1, at(2, 30), PARIS))).toBe('2026-10-26T01:30:00.000Z');
    // Even when asked between the two, the day's run has passed.
    expect(iso(nextDailyAt(Date.UTC(2026, 9, 25, 1, 0), at(2, 30), PARIS))).toBe('2026-10-26T01:30:00.000Z');
  });

  it('wraps across midnight: at 23:59 the next 00:01 is two minutes away, at 00:01 the next 23:59 is that evening', () => {
    const lateEvening = Date.UTC(2026, 5, 10, 21, 59); // 23:59 CEST
    expect(nextDailyAt(lateEvening, at(0, 1), PARIS) - lateEvening).toBe(2 * 60_000);
    const justAfterMidnight = Date.UTC(2026, 5, 10, 22, 1); // 00:01 CEST on the 11th
    expect(iso(nextDailyAt(justAfterMidnight, at(23, 59), PARIS))).toBe('2026-06-11T21:59:00.000Z');
    // Across the new year too.
    expect(iso(nextDailyAt(Date.UTC(2026, 11, 31, 22, 59), at(0, 1), PARIS))).toBe('2026-12-31T23:01:00.000Z');
  });

  it('the exact instant counts as now', () => {
    const t = Date.UTC(2026, 5, 10, 0, 0);
    expect(nextDailyAt(t, at(2, 0), PARIS)).toBe(t);
  });
});

const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Santiago', 'UTC'];
const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) });
const time = fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }), second: fc.integer({ min: 0, max: 59 }) });
const sameTime = (t: number, zone: string, d: DailyTime) => {
  const w = wallTimeAt(t, zone);
  return w.hour === d.hour && w.minute === d.minute && w.second === d.second;
};
/** An instant at which the zone's clock just jumped forward (the end of a gap). */
const afterGap = (t: number, zone: string) => {
  const before = wallTimeAt(t - 1000, zone);
  const now = wallTimeAt(t, zone);
  const step = Date.UTC(now.year, now.month - 1, now.day, now.hour, now.minute, now.second) - Date.UTC(before.year, before.month - 1, before.day, before.hour, before.minute, before.second);
  return step > 1000;
};

describe('zoned time properties', () => {
  it('instantOf(wallTimeAt(t)) is the first instant showing that wall time, at or before t', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (raw, zone) => {
        const t = Math.floor(raw / 1000) * 1000;
        const back = instantOf(wallTimeAt(t, zone), zone);
        expect(back).toBeLessThanOrEqual(t);
        expect(wallTimeAt(back, zone)).toEqual(wallTimeAt(t, zone));
      }),
      { numRuns: 400 },
    );
  });

  it('nextDailyAt is at or after the start, shows the time (or ends a gap), and repeats about a day later', () => {
    fc.assert(
      fc.property(instant, time, fc.constantFrom(...ZONES), (after, d, zone) => {
        const t = nextDailyAt(after, d, zone);
        expect(t).toBeGreaterThanOrEqual(after);
        expect(t - after).toBeLessThan(26 * 3_600_000);
        expect(sameTime(t, zone, d) || afterGap(t, zone)).toBe(true);
        const next = nextDailyAt(t + 1, d, zone);
        expect(next - t).toBeGreaterThan(21 * 3_600_000);
        expect(next - t).toBeLessThan(27 * 3_600_000);
      }),
      { numRuns: 400 },
    );
  });
});
