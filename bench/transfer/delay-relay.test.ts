// The WAN path's delay line (bench/transfer/delay-relay.ts): delay, a link's pacing and its drop-tail queue, timed
// against the real clock with margins wide enough for a loaded machine (each bound is several ms from the other case).
import { describe, expect, it } from 'vitest';
import { DelayLine } from './delay-relay.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DelayLine', () => {
  it('delivers in order no earlier than the delay', async () => {
    const got: Array<{ item: number; at: number }> = [];
    const t0 = performance.now();
    const line = new DelayLine<number>(30, (item) => got.push({ item, at: performance.now() - t0 }));
    for (let i = 0; i < 5; i++) line.push(i);
    await sleep(200);
    expect(got.map((g) => g.item)).toEqual([0, 1, 2, 3, 4]);
    for (const g of got) expect(g.at).toBeGreaterThanOrEqual(29);
  });

  it('paces a burst at the link rate and drops what would wait behind a full queue', async () => {
    const got: Array<{ item: number; at: number }> = [];
    const t0 = performance.now();
    // 1,000 bytes per ms; items of 20,000 bytes take 20 ms each; the queue holds 50,000 bytes of wait.
    const line = new DelayLine<number>(0, (item) => got.push({ item, at: performance.now() - t0 }), { bytesPerMs: 1000, queueBytes: 50_000, size: () => 20_000 });
    for (let i = 0; i < 6; i++) line.push(i);
    await sleep(400);
    // Waits before each: 0, 20k, 40k bytes (kept), 60k (> 50k: dropped), and the rest too.
    expect(got.map((g) => g.item)).toEqual([0, 1, 2]);
    expect(line.dropped).toBe(3);
    // Each leaves once its own bytes went over the link: 20, 40, 60 ms (never before; late by timers only).
    expect(got[0]!.at).toBeGreaterThanOrEqual(19);
    expect(got[1]!.at).toBeGreaterThanOrEqual(39);
    expect(got[2]!.at).toBeGreaterThanOrEqual(59);
  });
});
