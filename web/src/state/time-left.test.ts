import { describe, expect, it } from 'vitest';
import { secondsLeft, smoothRate, TimeLeft } from './time-left.ts';

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
