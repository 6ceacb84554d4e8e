/** Tests for token buckets: burst, refill on the injected clock, clock steps backwards, sweeping full buckets. */
import { describe, expect, it } from 'vitest';
import { BucketMap, TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('allows the burst, then refills at the rate', () => {
    const bucket = new TokenBucket({ burst: 3, perSecond: 2 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(499)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.take(500)).toBe(false);
    expect(bucket.isFull(10_000)).toBe(true);
  });

  it('never exceeds the burst however long it waited', () => {
    const bucket = new TokenBucket({ burst: 2, perSecond: 1 }, 0);
    expect(bucket.take(1e9, 3)).toBe(false);
    expect(bucket.take(1e9, 2)).toBe(true);
  });

  it('mints nothing when the clock steps back', () => {
    const bucket = new TokenBucket({ burst: 1, perSecond: 1 }, 5_000);
    expect(bucket.take(5_000)).toBe(true);
    expect(bucket.take(1_000)).toBe(false);
    expect(bucket.take(5_500)).toBe(false);
    expect(bucket.take(6_000)).toBe(true);
  });
});

describe('BucketMap', () => {
  it('keeps one bucket per key and forgets full ones', () => {
    const map = new BucketMap({ burst: 1, perSecond: 1 });
    expect(map.take('a', 0)).toBe(true);
    expect(map.take('a', 0)).toBe(false);
    expect(map.take('b', 0)).toBe(true);
    map.sweep(500);
    expect(map.size).toBe(2);
    map.sweep(1_000);
    expect(map.size).toBe(0);
  });
});
