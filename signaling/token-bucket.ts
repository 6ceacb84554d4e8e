/** Token buckets on an injected clock: the one rate-limiting primitive for connections, addresses and session creation. */
import type { Rate } from './config.ts';

/** A single bucket: starts full, refills continuously, `take()` fails when empty. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly rate: Rate, now: number) {
    this.tokens = rate.burst;
    this.last = now;
  }

  /** Takes `cost` tokens at time `now`; false (and nothing taken) when there are not enough. */
  take(now: number, cost = 1): boolean {
    this.refill(now);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** True when the bucket has refilled completely, so forgetting it changes nothing. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.rate.burst;
  }

  private refill(now: number): void {
    // A clock that goes backwards (NTP step) must not mint tokens nor throw.
    const elapsed = Math.max(0, now - this.last);
    this.tokens = Math.min(this.rate.burst, this.tokens + (elapsed / 1000) * this.rate.perSecond);
    this.last = Math.max(this.last, now);
  }
}

/**
 * One bucket per key (an address), created on first use. Full buckets are forgotten on `sweep`,
 * so memory follows the active addresses, not every address ever seen.
 */
export class BucketMap {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly rate: Rate) {}

  /** Takes a token for `key` at `now`. */
  take(key: string, now: number, cost = 1): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.rate, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now, cost);
  }

  /** Forgets the buckets that are full again. */
  sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
  }

  /** How many keys are tracked (for tests and stats). */
  get size(): number {
    return this.buckets.size;
  }
}
