/** Drives the leader's loop table (continuous-machine.ts) with timers: debounce, rounds one at a time, reconciliation. */
import type { Timers } from '../ports.ts';
import { loopTransition, type LoopEvent, type LoopState } from './continuous-machine.ts';

/**
 * Quiet time after the last change before a round starts. A lone save (an editor's write, rename and chmod land within
 * ~100 ms) goes after 200 ms; a burst whose changes come closer than that, or a member's notices (NOTICE_MIN_MS, 125
 * ms apart), keeps it going until MAX_WAIT_MS. It was 400 ms: 40 % of the 1 s target for nothing a lone edit needs.
 */
export const QUIET_MS = 200;
/** A round starts at most this long after the first change, even if changes keep coming. */
export const MAX_WAIT_MS = 2000;
/** A round this long after the last one, changes or not: it catches whatever a watcher missed. */
export const RECONCILE_MS = 60_000;
/**
 * At least this many times the last whole round's duration between reconciliation rounds: a whole walk of a large
 * folder (100,000 files) costs tens of seconds of CPU, so a fixed minute would keep a core busy watching nothing.
 * 100× keeps reconciliation under 1 % of the time; Syncthing, with working watchers, rescans hourly.
 */
export const RECONCILE_FACTOR = 100;

export interface LoopOptions {
  timers: Timers;
  /**
   * One round: inventory → Two-way plan → sync, resolved once it is over (rejected counts as over). `full`: walk every
   * folder whole (reconciliation, the first round, a resume), else only what the watchers named.
   */
  round: (full: boolean) => Promise<void>;
  quietMs?: number;
  maxWaitMs?: number;
  reconcileMs?: number;
  /** The time (ms) on the timers' clock: whole rounds are timed so reconciliation grows with their cost. */
  now?: () => number;
  onState?: (state: LoopState) => void;
  onError?: (error: unknown) => void;
}

/**
 * The leader's loop. Rounds never overlap: a round asked for while one is under way (the setting turned off and on
 * again meanwhile) starts when it ends.
 */
export class ContinuousLoop {
  #state: LoopState = 'off';
  readonly #o: LoopOptions;
  #quiet: (() => void) | null = null;
  #max: (() => void) | null = null;
  #reconcile: (() => void) | null = null;
  #inFlight = false;
  #deferred: boolean | null = null;
  /** Rounds started so far, and of them those that walked every folder whole. */
  rounds = 0;
  fullRounds = 0;
  /** How long the last round that walked every folder whole took (0 before one ended, or without `now`). */
  lastFullMs = 0;

  constructor(options: LoopOptions) {
    this.#o = options;
  }

  get state(): LoopState {
    return this.#state;
  }

  send(event: LoopEvent): void {
    const t = loopTransition(this.#state, event);
    if (!t) return;
    const before = this.#state;
    // Only a round after changes looks at what the watchers named; any other walks whole (it catches what they missed).
    const full = event !== 'quiet-over';
    this.#state = t.state;
    for (const effect of t.effects) {
      if (effect === 'clear-timers') this.#clear();
      else if (effect === 'arm-quiet') this.#armQuiet();
      else if (effect === 'arm-reconcile') this.#reconcile = this.#o.timers.after(this.reconcileDelay, () => ((this.#reconcile = null), this.send('reconcile')));
      else this.#start(full);
    }
    if (before !== this.#state) this.#o.onState?.(this.#state);
  }

  /** The wait before the next reconciliation round: RECONCILE_MS, or RECONCILE_FACTOR × the last whole round if longer. */
  get reconcileDelay(): number {
    return Math.max(this.#o.reconcileMs ?? RECONCILE_MS, RECONCILE_FACTOR * this.lastFullMs);
  }

  #armQuiet(): void {
    this.#quiet?.();
    this.#quiet = this.#o.timers.after(this.#o.quietMs ?? QUIET_MS, () => ((this.#quiet = null), this.send('quiet-over')));
    this.#max ??= this.#o.timers.after(this.#o.maxWaitMs ?? MAX_WAIT_MS, () => ((this.#max = null), this.send('quiet-over')));
  }

  #clear(): void {
    for (const cancel of [this.#quiet, this.#max, this.#reconcile]) cancel?.();
    this.#quiet = this.#max = this.#reconcile = null;
  }

  #start(full: boolean): void {
    if (this.#inFlight) {
      this.#deferred = full || (this.#deferred ?? false);
      return;
    }
    this.#inFlight = true;
    this.rounds++;
    if (full) this.fullRounds++;
    const t0 = this.#o.now?.() ?? 0;
    void this.#o.round(full).catch((e: unknown) => this.#o.onError?.(e)).finally(() => {
      this.#inFlight = false;
      if (full && this.#o.now) this.lastFullMs = this.#o.now() - t0;
      if (this.#deferred !== null) {
        const again = this.#deferred;
        this.#deferred = null;
        if (this.#state === 'running' || this.#state === 'again') return this.#start(again);
      }
      this.send('round-done');
    });
  }
}
