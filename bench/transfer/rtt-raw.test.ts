// The raw yardstick's median and the targets' verdict (bench/transfer/rtt-raw.ts).
import { describe, expect, it } from 'vitest';
import { median, verdict } from './rtt-raw.ts';

describe('median', () => {
  it('takes the middle run, whatever the order, so one run that lost early does not set the yardstick', () => {
    expect(median([5.9, 1.3, 4.7])).toBe(4.7);
    expect(median([1.3])).toBe(1.3);
  });
  it('averages the middle two of an even count and is NaN for none', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
  it('does not reorder its input', () => {
    const runs = [3, 1, 2];
    median(runs);
    expect(runs).toEqual([3, 1, 2]);
  });
});

describe('verdict', () => {
  it('says met, NOT met or not measured', () => {
    expect(verdict(3.2, (v) => v >= 3)).toBe('met');
    expect(verdict(2.9, (v) => v >= 3)).toBe('**NOT met**');
    expect(verdict(null, (v) => v >= 3)).toBe('not measured');
    expect(verdict(NaN, (v) => v >= 3)).toBe('not measured');
  });
});
