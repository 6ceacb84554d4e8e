import { describe, expect, it } from 'vitest';
import { InventoryTimeLeft, secondsLeft, smoothRate, TimeLeft } from './time-left.ts';

describe('smoothRate', () => {
  it('has no rate from one sample, then the first measured one', () => {
    const first = smoothRate(null, 0, 0);
    expect(first.rate).toBeNull();
    expect(smoothRate(first, 1000, 1000).rate).toBe(1000);
  });

  it('merges samples closer than a quarter second into the next', () => {
    const first = smoothRate(null, 0, 0);
    expect(smoothRate(first, 50, 100)).toBe(first);
  });

  it('moves halfway to a new rate after one half-life', () => {
    const a = smoothRate(smoothRate(null, 0, 0), 1000, 1000); // 1000/s
    const b = smoothRate(a, 1000 + 3000 * 3, 4000, 3000); // 3000/s for 3 s
    expect(b.rate).toBeCloseTo(2000);
  });

  it('starts over when the counter goes back (a new run)', () => {
    const a = smoothRate(smoothRate(null, 0, 0), 1000, 1000);
    expect(smoothRate(a, 10, 2000).rate).toBeNull();
  });
});

describe('secondsLeft', () => {
  it('takes the longer of bytes and actions', () => {
    expect(secondsLeft([{ remaining: 100, rate: 50 }, { remaining: 10, rate: 1 }])).toBe(10);
  });
  it('is unknown without a rate, and 0 when nothing is left', () => {
    expect(secondsLeft([{ remaining: 100, rate: null }])).toBeNull();
    expect(secondsLeft([{ remaining: 100, rate: 0 }])).toBeNull();
    expect(secondsLeft([{ remaining: 0, rate: null }])).toBe(0);
  });
});

describe('TimeLeft', () => {
  it('still counts time when every byte is written but actions remain', () => {
    const left = new TimeLeft();
    expect(left.update({ actionsDone: 0, actionsTotal: 200, bytesDone: 0, bytesTotal: 1000 }, 0)).toBeNull();
    const s = left.update({ actionsDone: 100, actionsTotal: 200, bytesDone: 1000, bytesTotal: 1000 }, 10_000);
    expect(s).toBeCloseTo(10); // 100 actions left at 10 actions/s, though no byte is left
  });
});

describe('InventoryTimeLeft', () => {
  const hashing = (files: number, bytes: number) => ({ files, filesTotal: 100, bytes, bytesTotal: 10_000 });

  it('knows nothing during the walk, then counts the hashing left at its rate', () => {
    const left = new InventoryTimeLeft();
    expect(left.update('A1', undefined, false, 0)).toBeNull();
    expect(left.update('A1', hashing(0, 0), false, 1000)).toBeNull();
    expect(left.update('A1', hashing(10, 1000), false, 2000)).toBeCloseTo(9); // 9,000 bytes at 1,000/s, 90 files at 10/s
    expect(left.update('A1', undefined, true, 3000)).toBe(0);
  });

  it('follows each source apart, and starts over after one is done', () => {
    const left = new InventoryTimeLeft();
    left.update('A1', hashing(0, 0), false, 0);
    left.update('A2', hashing(0, 0), false, 0);
    expect(left.update('A1', hashing(50, 5000), false, 1000)).toBeCloseTo(1);
    expect(left.update('A2', hashing(5, 500), false, 1000)).toBeCloseTo(19);
    left.update('A1', undefined, true, 2000);
    // A new inventory of A1: no rate carried over from the last one.
    expect(left.update('A1', hashing(0, 0), false, 3000)).toBeNull();
  });
});
