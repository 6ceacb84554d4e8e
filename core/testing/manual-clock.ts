/** A Clock that moves only when a test says so. */
import type { Clock } from '../ports.ts';

/** A Clock for tests: `now()` returns the set time; `advance(ms)` moves it forward. */
export class ManualClock implements Clock {
  constructor(private time = Date.UTC(2024, 0, 15, 12, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
  set(ms: number): void {
    this.time = ms;
  }
}

/** A Clock that moves forward by `stepMs` on every read: progress throttles and rates see time pass. */
export class SteppingClock implements Clock {
  constructor(private time = Date.UTC(2024, 0, 15, 12, 0, 0), private readonly stepMs = 1) {}
  now(): number {
    this.time += this.stepMs;
    return this.time;
  }
}
