/** A Random port from a seed (xorshift32): same seed, same bytes. Never for keys. */
import type { Random } from '../ports.ts';

/** Deterministic randomness for tests and benchmarks. */
export class SeededRandom implements Random {
  private state: number;
  constructor(seed = 0x9e3779b9) {
    this.state = seed >>> 0 || 1;
  }
  private next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.next() & 255;
    return out;
  }
}
