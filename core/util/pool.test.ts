import { describe, expect, it } from 'vitest';
import { createLimiter, forEachPool } from './pool.ts';

describe('createLimiter', () => {
  it('runs at most `limit` tasks at once and starts the queued ones in order, however many wait', async () => {
    const limit = createLimiter(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await Promise.resolve();
      running--;
      if (i === 7) throw new Error('seven');
      return i;
    };
    const results = await Promise.allSettled(Array.from({ length: 2000 }, (_, i) => limit(task(i))));
    expect(most).toBe(3);
    expect(started).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(results[7]).toMatchObject({ status: 'rejected' });
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<number>).value)).toHaveLength(1999);
    // Still usable once its queue emptied.
    expect(await limit(async () => 'again')).toBe('again');
  });

  it('forEachPool visits every item once', async () => {
    const seen: number[] = [];
    await forEachPool([1, 2, 3, 4, 5], 2, async (n) => void seen.push(n));
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
