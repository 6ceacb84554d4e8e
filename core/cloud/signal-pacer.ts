/** Keeps what a member sends to the signaling server under the server's message rates: a burst beyond them waits its turn instead of getting the connection closed. */
import type { Clock, Timers } from '../ports.ts';
import { DEFAULT_ADDRESS_RATE, DEFAULT_CONNECTION_RATE, type Limits, type MessageRate } from '../protocol/signal-messages.ts';

/**
 * The server closes a connection that sends faster than its rate (4429: a burst of 60, then 20 a second, unless its
 * operator set others) and frees its slot, so the session ends for that member; likewise when the connections from
 * one address together pass the address's rate (300, then 100 a second), and five members behind one NAT share it.
 * Honest traffic can pass them: each peer connection trickles an offer or answer and its ICE candidates, and a pair
 * with lanes (core/mesh/lanes.ts) has up to seven connections, all signaled at once when forced; a member of five
 * signals to four peers. So the member keeps under a share of what the server announces in `welcome`: its
 * connection's rate or a fifth (`maxMembers`) of its address's, whichever is lower, of which it takes two thirds of
 * the burst and three quarters of the rate. The rest leaves room for what reaches the server outside the pacer (the
 * adapter's pings every idleTimeoutMs / 3, the join's PAKE before the session, a resume token) and for a burst that
 * arrives bunched (a TCP retransmission, a starved event loop): with the defaults, a burst of 40, then 15 a second.
 */
export const BURST_SHARE = 2 / 3;
export const RATE_SHARE = 3 / 4;

/** The longest wait between two looks at the bucket: a timer that never overflows, even for a rate of 0. */
const MAX_WAIT_MS = 60_000;

/** The pace a member keeps with a server that announced `limits` (the defaults' without a word: an older server). */
export function signalPace(limits?: Partial<Limits>): MessageRate {
  const connection = limits?.connectionRate ?? DEFAULT_CONNECTION_RATE;
  const address = limits?.addressRate ?? DEFAULT_ADDRESS_RATE;
  const members = Math.max(1, limits?.maxMembers ?? 5);
  const burst = Math.min(connection.burst, address.burst / members) * BURST_SHARE;
  const perSecond = Math.min(connection.perSecond, address.perSecond / members) * RATE_SHARE;
  return { burst: Math.max(1, Math.floor(burst)), perSecond: Math.max(0, perSecond) };
}

/** A token bucket in front of one sender: messages go out at once while tokens last, then in order as they refill. */
export class SignalPacer<T> {
  readonly #clock: Clock & Timers;
  readonly #write: (item: T) => void;
  #rate: MessageRate;
  #tokens: number;
  #at: number;
  readonly #queue: T[] = [];
  #cancel: (() => void) | null = null;

  constructor(clock: Clock & Timers, write: (item: T) => void, rate: MessageRate = signalPace()) {
    this.#clock = clock;
    this.#write = write;
    this.#rate = rate;
    this.#tokens = rate.burst;
    this.#at = clock.now();
  }

  /** Messages waiting for their turn. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** The pace in force. */
  get rate(): MessageRate {
    return this.#rate;
  }

  /** Another pace from now on (the session re-homed on a server with other limits); what it saved so far is capped. */
  pace(rate: MessageRate): void {
    this.#take(0);
    this.#rate = rate;
    this.#tokens = Math.min(this.#tokens, rate.burst);
  }

  /** Sends now if a token is left and nothing waits before it; else queues it behind the others. */
  send(item: T): void {
    if (this.#queue.length === 0 && this.#take(1)) return this.#write(item);
    this.#queue.push(item);
    this.#arm();
  }

  /** Forgets what waits (the connection is gone); returns it, in order. */
  clear(): T[] {
    this.#cancel?.();
    this.#cancel = null;
    return this.#queue.splice(0);
  }

  /** Refills to now, then takes `cost` tokens if there are that many. */
  #take(cost: number): boolean {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#rate.burst, this.#tokens + (Math.max(0, now - this.#at) / 1000) * this.#rate.perSecond);
    this.#at = Math.max(this.#at, now);
    if (this.#tokens < cost) return false;
    this.#tokens -= cost;
    return true;
  }

  #arm(): void {
    if (this.#cancel) return;
    const need = Math.max(0, 1 - this.#tokens);
    const wait = this.#rate.perSecond > 0 ? Math.min(MAX_WAIT_MS, Math.max(1, Math.ceil((need * 1000) / this.#rate.perSecond))) : MAX_WAIT_MS;
    this.#cancel = this.#clock.after(wait, () => {
      this.#cancel = null;
      while (this.#queue.length > 0 && this.#take(1)) this.#write(this.#queue.shift() as T);
      if (this.#queue.length > 0) this.#arm();
    });
  }
}
