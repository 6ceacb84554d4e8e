// The rtt bench's reading (bench/transfer/rtt-readme.ts): the raw yardstick is the median of its runs, not the best.
import { describe, expect, it } from 'vitest';
import type { NodeRawRun } from './node-raw.ts';
import { rawYardstick, ratios, type RttRow } from './rtt-readme.ts';

const raw = (mbPerSecond: number, pingMs: number): NodeRawRun => ({ bytes: 32 << 20, messageBytes: 65536, seconds: 1, mbPerSecond, pingMs, connections: 1, threads: [[], []] } as unknown as NodeRawRun);
const row = (rates: number[]): RttRow => ({
  rttMs: 40,
  raw: rates.map((r, i) => raw(r, 40 + i)),
  striped: null,
  cli: { seconds: 40, cpu: [0, 0], threads: [[], []] },
  laned: { seconds: 20, cpu: [0, 0], threads: [[], []] },
  syncthing: 'failed (not run)',
  tcpPingMs: 41,
  udpDrops: 0,
  queueDrops: 0,
});

describe('rawYardstick', () => {
  it('holds the median run against Quintet, so one run that lost early does not flatter it', () => {
    const r = row([5.0, 1.3, 6.0]);
    expect(rawYardstick(r)).toEqual({ mbPerSecond: 5.0, pingMs: 41 });
    // 100 MB in 20 s is 5 MB/s: 1.0× the median, where the slow run alone would read 3.85×.
    expect(ratios(r, 100e6).overRaw).toBeCloseTo(1.0, 5);
    expect(ratios(r, 100e6, 'cli').overRaw).toBeCloseTo(0.5, 5);
    expect(ratios(r, 100e6).overSyncthing).toBeNull();
  });
});
