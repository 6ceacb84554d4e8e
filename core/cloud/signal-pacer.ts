/** Keeps what a member sends to the signaling server under the server's message rate: a burst beyond it waits its turn instead of getting the connection closed. */
import type { Clock, Timers } from '../ports.ts';

/**
 * The server closes a connection that sends faster than its rate (signaling/config.ts `connectionRate`: a burst of 60,
 * then 20 a second; 4429) and frees its slot, so the session ends for that member. Honest traffic can pass it: each
 * peer connection trickles an offer or answer and its ICE candidates, and a pair with lanes (core/mesh/lanes.ts) has up
 * to seven connections, all signaled at once when forced; a starved event loop then sends them in one go (e2e, a page
 * and a `quintet` process with three lanes each way on one loaded core). The member keeps under a lower rate itself;
 * the difference leaves room for the pings its connection sends on its own.
 */
export const SIGNAL_BURST = 40;
export const SIGNAL_PER_SECOND = 15;

/** A token bucket in front of one sender: messages go out at once while tokens last, then in order as they refill. */
export class SignalPacer<T> {
  readonly #clock: Clock & Timers;
  readonly #write: (item: T) => void;
  #tokens = SIGNAL_BURST;
  #at: number;
  readonly #queue: T[] = [];
  #cancel: (() => void) | null = null;

  constructor(clock: Clock & Timers, write: (item: T) => void) {
    this.#clock = clock;
    this.#write = write;
    this.#at = clock.now();
  }

  /** Messages waiting for their turn. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Sends now if a token is left and nothing waits before it; else queues it behind the others. */
  send(item: T): void {
    if (this.#queue.length === 0 && this.#take()) return this.#write(item);
    this.#queue.push(item);
    this.#arm();
  }

  /** Forgets what waits (the connection is gone); returns it, in order. */
  clear(): T[] {
    this.#cancel?.();
    this.#cancel = null;
    return this.#queue.splice(0);
  }

  #take(): boolean {
    const now = this.#clock.now();
    this.#tokens = Math.min(SIGNAL_BURST, this.#tokens + ((now - this.#at) / 1000) * SIGNAL_PER_SECOND);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #arm(): void {
    if (this.#cancel) return;
    const wait = Math.max(1, Math.ceil(((1 - this.#tokens) * 1000) / SIGNAL_PER_SECOND));
    this.#cancel = this.#clock.after(wait, () => {
      this.#cancel = null;
      while (this.#queue.length > 0 && this.#take()) this.#write(this.#queue.shift() as T);
      if (this.#queue.length > 0) this.#arm();
    });
  }
}
