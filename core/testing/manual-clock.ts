/** A Clock (and its Timers) that moves only when a test says so. */
import type { Clock, Timers } from '../ports.ts';

/** A Clock for tests: `now()` returns the set time; `advance(ms)` moves it forward and fires the timers now due. */
export class ManualClock implements Clock, Timers {
  #timers: { at: number; fn: () => void }[] = [];
  constructor(private time = Date.UTC(2024, 0, 15, 12, 0, 0)) {}
  now(): number {
    return this.time;
  }
  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.time + ms, fn };
    this.#timers.push(timer);
    return () => void (this.#timers = this.#timers.filter((t) => t !== timer));
  }
  advance(ms: number): void {
    this.set(this.time + ms);
  }
  set(ms: number): void {
    // Time steps through each timer due on the way, earliest first, so one that a firing timer arms fires in turn.
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= ms).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
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
