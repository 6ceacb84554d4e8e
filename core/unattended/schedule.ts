/**
 * When unattended runs start (a daily time in a zone, or now) and how long a hub waits for its members (a window
 * that `extend` lengthens), over the Clock and Timers ports so tests drive them with a manual clock.
 */
import type { Clock, Timers } from '../ports.ts';
import { nextDailyAt, type DailyTime } from './zoned-time.ts';

export interface SchedulePorts {
  clock: Clock;
  timers: Timers;
}

export interface SchedulePlan {
  /** The time of day of each run; absent: one run, now. */
  at?: DailyTime;
  /** Every day at `at` until stopped (needs `at`). */
  daily?: boolean;
  /** IANA zone of `at`. */
  timeZone: string;
}

/**
 * A wait is re-checked at least this often: a machine that slept, or a clock set back or forward, delays a run by
 * at most this much instead of by the whole sleep.
 */
export const RECHECK_MS = 10 * 60_000;

/** The run times of a plan, one after the other; `stop()` ends the current and every later wait. */
export class RunSchedule {
  #last: number | null = null;
  #given = 0;
  #stopped = false;
  #cancelWait: (() => void) | null = null;

  constructor(private readonly ports: SchedulePorts, readonly plan: SchedulePlan) {
    if (plan.daily && !plan.at) throw new Error('a daily schedule needs a time of day');
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** When the next run starts, or null when none is left (a one-off already given, or stopped). */
  peek(): number | null {
    if (this.#stopped || (!this.plan.daily && this.#given > 0)) return null;
    const now = this.ports.clock.now();
    if (!this.plan.at) return now;
    // After a run, the next one is strictly later: a time repeated by the clocks going back runs once.
    return nextDailyAt(this.#last === null ? now : Math.max(now, this.#last + 1), this.plan.at, this.plan.timeZone);
  }

  /** Waits until the next run's time and resolves it; resolves null when stopped or when no run is left. */
  wait(): Promise<number | null> {
    const at = this.peek();
    if (at === null) return Promise.resolve(null);
    return new Promise((resolve) => {
      const check = () => {
        this.#cancelWait = null;
        if (this.#stopped) return resolve(null);
        const now = this.ports.clock.now();
        if (now >= at) {
          this.#last = at;
          this.#given += 1;
          return resolve(at);
        }
        const cancel = this.ports.timers.after(Math.min(at - now, RECHECK_MS), check);
        this.#cancelWait = () => {
          cancel();
          resolve(null);
        };
      };
      check();
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#cancelWait?.();
    this.#cancelWait = null;
  }
}

/** How a wait for members ended: all came, some came when time ran out, nobody came, or it was stopped. */
export type WindowEnd = 'complete' | 'partial' | 'no-members' | 'stopped';

export interface WindowOutcome {
  end: WindowEnd;
  present: string[];
  missing: string[];
  /** When the wait ended (clock time). */
  at: number;
}

/**
 * The hub's wait for its expected members: ends as soon as all are present, or at the deadline with those present
 * ('partial'), or nobody ('no-members'). `extend` moves the deadline while it is open. With no expected member
 * named, it lasts to the deadline.
 */
export class WaitWindow {
  readonly opened: number;
  readonly done: Promise<WindowOutcome>;
  #deadline: number;
  #present = new Set<string>();
  #cancelTimer: () => void = () => undefined;
  #finish!: (outcome: WindowOutcome) => void;
  #closed = false;

  constructor(private readonly ports: SchedulePorts, readonly expected: readonly string[], maxWaitMs: number) {
    this.opened = ports.clock.now();
    this.#deadline = this.opened + maxWaitMs;
    this.done = new Promise((resolve) => (this.#finish = resolve));
    this.#arm();
  }

  get deadline(): number {
    return this.#deadline;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get present(): string[] {
    return [...this.#present];
  }

  /** Lengthens the wait by `ms` from its current deadline; returns the new one, or null when the wait is over. */
  extend(ms: number): number | null {
    if (this.#closed) return null;
    this.#deadline += ms;
    this.#arm();
    return this.#deadline;
  }

  /** A member came (by machine name); the wait ends when every expected one is there. */
  arrive(name: string): void {
    if (this.#closed) return;
    this.#present.add(name);
    if (this.expected.length > 0 && this.expected.every((e) => this.#present.has(e))) this.#close('complete');
  }

  /** A member left before the run started. */
  leave(name: string): void {
    if (!this.#closed) this.#present.delete(name);
  }

  stop(): void {
    this.#close('stopped');
  }

  #arm(): void {
    this.#cancelTimer();
    const check = () => {
      const now = this.ports.clock.now();
      if (now >= this.#deadline) this.#close(this.#present.size > 0 ? 'partial' : 'no-members');
      else this.#cancelTimer = this.ports.timers.after(Math.min(this.#deadline - now, RECHECK_MS), check);
    };
    check();
  }

  #close(end: WindowEnd): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelTimer();
    const present = [...this.#present];
    this.#finish({ end, present, missing: this.expected.filter((e) => !this.#present.has(e)), at: this.ports.clock.now() });
  }
}
