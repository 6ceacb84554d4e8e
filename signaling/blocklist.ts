/** Seed 004's "blocked IP addresses": failed joins per address in a sliding window, and the blocks they cause. */
import type { SignalingConfig } from './config.ts';

/** A blocked address as the admin endpoint lists it. Times in ms since the epoch. */
export interface BlockedAddress {
  address: string;
  since: number;
  until: number;
}

/** The whole state, as plain JSON, so a Durable Object can persist it between evictions. */
export interface BlocklistSnapshot {
  failures: Record<string, number[]>;
  blocked: BlockedAddress[];
}

/** Bounds memory under a spray of distinct addresses; the oldest entries go first. */
const MAX_TRACKED = 100_000;

/**
 * Counts failures per address and blocks an address that reaches `failures` within `windowMs`,
 * for `blockMs`. Every method takes `now`, so tests drive time (Syncthing's `…At(now)` habit).
 */
export class Blocklist {
  private readonly failures = new Map<string, number[]>();
  private readonly blocked = new Map<string, BlockedAddress>();

  constructor(private readonly policy: SignalingConfig['block']) {}

  /** Records one failed join; returns true when this failure blocks the address. */
  recordFailure(address: string, now: number): boolean {
    if (this.blockedUntil(address, now) !== null) return false;
    const recent = (this.failures.get(address) ?? []).filter((t) => t > now - this.policy.windowMs);
    recent.push(now);
    this.failures.delete(address); // re-insert: Map order doubles as least-recently-failed order
    if (recent.length >= this.policy.failures) {
      this.blocked.set(address, { address, since: now, until: now + this.policy.blockMs });
      this.trim(this.blocked);
      return true;
    }
    this.failures.set(address, recent);
    this.trim(this.failures);
    return false;
  }

  /** When the block on `address` ends, or null when it is not blocked at `now`. */
  blockedUntil(address: string, now: number): number | null {
    const entry = this.blocked.get(address);
    if (!entry) return null;
    if (entry.until > now) return entry.until;
    this.blocked.delete(address);
    return null;
  }

  /** The addresses blocked at `now`, oldest block first. */
  list(now: number): BlockedAddress[] {
    this.prune(now);
    return [...this.blocked.values()];
  }

  /** Lifts the block on one address (and forgets its failures); true when there was something to lift. */
  clear(address: string): boolean {
    this.failures.delete(address);
    return this.blocked.delete(address);
  }

  /** Lifts every block and forgets every failure; returns how many blocks were lifted. */
  clearAll(): number {
    const count = this.blocked.size;
    this.blocked.clear();
    this.failures.clear();
    return count;
  }

  /** Drops expired blocks and failures that fell out of the window. */
  prune(now: number): void {
    for (const [address, entry] of this.blocked) if (entry.until <= now) this.blocked.delete(address);
    for (const [address, times] of this.failures) {
      const recent = times.filter((t) => t > now - this.policy.windowMs);
      if (recent.length === 0) this.failures.delete(address);
      else this.failures.set(address, recent);
    }
  }

  /** The state as JSON-safe data. */
  snapshot(): BlocklistSnapshot {
    return { failures: Object.fromEntries(this.failures), blocked: [...this.blocked.values()] };
  }

  /** Replaces the state with a snapshot taken earlier. */
  restore(snapshot: BlocklistSnapshot): void {
    this.failures.clear();
    this.blocked.clear();
    for (const [address, times] of Object.entries(snapshot.failures)) this.failures.set(address, times);
    for (const entry of snapshot.blocked) this.blocked.set(entry.address, entry);
  }

  private trim<V>(map: Map<string, V>): void {
    while (map.size > MAX_TRACKED) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  }
}
