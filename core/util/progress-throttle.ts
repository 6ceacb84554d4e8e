/** Progress throttling on the Clock port: at most one report per interval (the UI needs ~10/s, not 10,000/s). */
import type { Clock } from '../ports.ts';

/** Returns `due()`: true at most once per `intervalMs` of clock time (the first call is due). */
export function createThrottle(clock: Clock, intervalMs = 100): () => boolean {
  let last = -Infinity;
  return () => {
    const now = clock.now();
    if (now - last < intervalMs) return false;
    last = now;
    return true;
  };
}

/** Units per second between two clock readings (0 when no time passed). */
export function ratePerSecond(units: number, startMs: number, nowMs: number): number {
  const elapsed = nowMs - startMs;
  return elapsed > 0 ? (units * 1000) / elapsed : 0;
}
