/** The blocklist as the app reaches it: asynchronous, because on Workers it lives in another Durable Object. */
import type { Clock } from '../core/ports.ts';
import { Blocklist, type BlockedAddress } from './blocklist.ts';
import type { SignalingConfig } from './config.ts';

/** Failed joins and blocked addresses, wherever they are kept. */
export interface Guard {
  /** When the block on `address` ends (ms), or null when it may connect. */
  blockedUntil(address: string): Promise<number | null>;
  /** One failed join by `address`. */
  recordFailure(address: string): Promise<void>;
  list(): Promise<BlockedAddress[]>;
  /** Lifts one block; false when the address was not blocked. */
  clear(address: string): Promise<boolean>;
  /** Lifts every block; returns how many. */
  clearAll(): Promise<number>;
}

/** The Node guard: a Blocklist in this process's memory (a restart forgets it, as it forgets sessions). */
export class MemoryGuard implements Guard {
  readonly blocklist: Blocklist;

  constructor(config: SignalingConfig, private readonly clock: Clock, private readonly log: (line: string) => void = () => {}) {
    this.blocklist = new Blocklist(config.block);
  }

  async blockedUntil(address: string): Promise<number | null> {
    return this.blocklist.blockedUntil(address, this.clock.now());
  }

  async recordFailure(address: string): Promise<void> {
    if (this.blocklist.recordFailure(address, this.clock.now())) this.log(`blocked ${address} after repeated failed joins`);
  }

  async list(): Promise<BlockedAddress[]> {
    return this.blocklist.list(this.clock.now());
  }

  async clear(address: string): Promise<boolean> {
    return this.blocklist.clear(address);
  }

  async clearAll(): Promise<number> {
    return this.blocklist.clearAll();
  }
}
