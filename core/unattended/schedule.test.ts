import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.ts';
import { RunSchedule, WaitWindow, type WindowOutcome } from './schedule.ts';

const PARIS = 'Europe/Paris';
const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** Lets promise callbacks run; returns what the promise resolved to so far ('pending' when not yet). */
async function state<T>(p: Promise<T>): Promise<T | 'pending'> {
  let value: T | 'pending' = 'pending';
  void p.then((v) => (value = v));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return value;
}

describe('RunSchedule', () => {
  it('without a time runs once, now', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const schedule = new RunSchedule({ clock, timers: clock }, { timeZone: PARIS });
    expect(await schedule.wait()).toBe(clock.now());
    expect(await schedule.wait()).toBeNull();
  });

  it('once at 02:00 Paris: waits for it to the second, then nothing is left', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 9, 22, 0)); // 00:00 CEST on the 10th
    const schedule = new RunSchedule({ clock, timers: clock }, { at: { hour: 2, minute: 0, second: 0 }, timeZone: PARIS });
    const first = schedule.wait();
    clock.advance(2 * HOUR - 1000);
    expect(await state(first)).toBe('pending');
    clock.advance(1000);
    expect(iso(await first)).toBe('2026-06-10T00:00:00.000Z');
    expect(await schedule.wait()).toBeNull();
  });

  it('daily across the spring-forward day: 02:30 runs at 03:00 CEST on 2026-03-29, then 02:30 again', async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 27, 12));
    const schedule = new RunSchedule({ clock, timers: clock }, { at: { hour: 2, minute: 30, second: 0 }, daily: true, timeZone: PARIS });
    const runs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const next = schedule.wait();
      clock.advance(25 * HOUR);
      runs.push(iso(await next) as string);
      clock.set(Date.parse(runs[i] as string) + 5 * MIN); // the run takes five minutes
    }
    expect(runs).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('daily across the fall-back day: 02:30 on 2026-10-25 runs once, at its first instant', async () => {
    const clock = new ManualClock(Date.UTC(2026, 9, 24, 12));
    const schedule = new RunSchedule({ clock, timers: clock }, { at: { hour: 2, minute: 30, second: 0 }, daily: true, timeZone: PARIS });
    const first = schedule.wait();
    clock.advance(13 * HOUR); // past both 02:30s of the 25th
    expect(iso(await first)).toBe('2026-10-25T00:30:00.000Z');
    const second = schedule.wait();
    expect(await state(second)).toBe('pending');
    clock.set(Date.UTC(2026, 9, 26, 1, 29, 59));
    expect(await state(second)).toBe('pending');
    clock.advance(1000);
    expect(iso(await second)).toBe('2026-10-26T01:30:00.000Z');
  });

  it('23:59 → 00:01: a daily 00:01 started at 23:59 runs two minutes later, then the next night', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 14, 22, 59)); // 23:59 CET
    const schedule = new RunSchedule({ clock, timers: clock }, { at: { hour: 0, minute: 1, second: 0 }, daily: true, timeZone: PARIS });
    const first = schedule.wait();
    clock.advance(2 * MIN);
    expect(iso(await first)).toBe('2026-01-14T23:01:00.000Z');
    expect(iso(schedule.peek())).toBe('2026-01-15T23:01:00.000Z');
  });

  it('a timer that fires before the time by the clock (clock set back) waits again instead of running early', async () => {
    const timers = new ManualClock(Date.UTC(2026, 5, 9, 12));
    let behind = 0;
    const clock = { now: () => timers.now() - behind };
    const schedule = new RunSchedule({ clock, timers }, { at: { hour: 20, minute: 0, second: 0 }, timeZone: 'UTC' });
    const run = schedule.wait();
    timers.advance(4 * HOUR);
    behind = 3 * MIN; // the system clock was corrected back by three minutes
    timers.advance(4 * HOUR);
    expect(await state(run)).toBe('pending');
    timers.advance(3 * MIN);
    expect(iso(await run)).toBe('2026-06-09T20:00:00.000Z');
    expect(clock.now()).toBe(Date.UTC(2026, 5, 9, 20));
  });

  it('stop() ends the wait in progress with null, and every later one', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 9, 12));
    const schedule = new RunSchedule({ clock, timers: clock }, { at: { hour: 20, minute: 0, second: 0 }, daily: true, timeZone: PARIS });
    const run = schedule.wait();
    clock.advance(HOUR);
    schedule.stop();
    expect(await run).toBeNull();
    expect(await schedule.wait()).toBeNull();
    expect(schedule.peek()).toBeNull();
  });

  it('refuses daily without a time', () => {
    const clock = new ManualClock();
    expect(() => new RunSchedule({ clock, timers: clock }, { daily: true, timeZone: PARIS })).toThrow(/time of day/);
  });
});

describe('WaitWindow', () => {
  const open = (expected: string[], maxWait: number) => {
    const clock = new ManualClock(Date.UTC(2026, 5, 10, 0));
    return { clock, window: new WaitWindow({ clock, timers: clock }, expected, maxWait) };
  };

  it('ends as soon as every expected member is present', async () => {
    const { clock, window } = open(['paris', 'lyon'], 30 * MIN);
    window.arrive('lyon');
    expect(await state(window.done)).toBe('pending');
    clock.advance(5 * MIN);
    window.arrive('paris');
    expect(await window.done).toEqual({ end: 'complete', present: ['lyon', 'paris'], missing: [], at: Date.UTC(2026, 5, 10, 0, 5) });
  });

  it('at the deadline runs with those present and names the missing', async () => {
    const { clock, window } = open(['paris', 'lyon', 'nice'], 30 * MIN);
    window.arrive('nice');
    window.arrive('lyon');
    window.leave('lyon');
    clock.advance(30 * MIN - 1);
    expect(await state(window.done)).toBe('pending');
    clock.advance(1);
    expect(await window.done).toMatchObject({ end: 'partial', present: ['nice'], missing: ['paris', 'lyon'] });
  });

  it('nobody by the deadline is no-members', async () => {
    const { clock, window } = open(['paris'], 10 * MIN);
    clock.advance(10 * MIN);
    expect((await window.done).end).toBe('no-members');
  });

  it('extend moves the deadline while open, and does nothing once closed', async () => {
    const { clock, window } = open(['paris'], 10 * MIN);
    clock.advance(9 * MIN);
    expect(window.extend(30 * MIN)).toBe(Date.UTC(2026, 5, 10, 0, 40));
    clock.advance(2 * MIN); // past the first deadline
    expect(await state(window.done)).toBe('pending');
    window.arrive('someone-unexpected');
    clock.set(Date.UTC(2026, 5, 10, 0, 40));
    const outcome = (await window.done) as WindowOutcome;
    expect(outcome).toMatchObject({ end: 'partial', present: ['someone-unexpected'], missing: ['paris'] });
    expect(window.extend(MIN)).toBeNull();
  });

  it('stop() ends it as stopped; arrivals after that change nothing', async () => {
    const { window } = open(['paris'], 10 * MIN);
    window.stop();
    window.arrive('paris');
    expect(await window.done).toMatchObject({ end: 'stopped', present: [], missing: ['paris'] });
  });

  it('with no expected member named, it lasts to the deadline', async () => {
    const { clock, window } = open([], 10 * MIN);
    window.arrive('paris');
    expect(await state(window.done)).toBe('pending');
    clock.advance(10 * MIN);
    expect((await window.done).end).toBe('partial');
  });
});
