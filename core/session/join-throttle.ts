/**
 * The validator's own brake on password guessing (DESIGN.md §3: "members stop answering a source after repeated
 * failures"). The server blocks too, but a member must not depend on the server's honesty: an address that failed
 * 3 times in 10 minutes gets no answer for an hour, and whatever the addresses, no more than 20 failed joins an hour
 * are answered at all — so even a server that hides or rotates addresses buys an attacker at most 20 online guesses
 * an hour against an 80-bit password (core/crypto/password.ts).
 */

/** The numbers of the policy; tests and the docs read them from here. */
export const JOIN_THROTTLE = {
  perAddress: { failures: 3, windowMs: 10 * 60_000, blockMs: 60 * 60_000 },
  overall: { failures: 20, windowMs: 60 * 60_000 },
} as const;

/** Why a candidate gets no PAKE answer. */
export type ThrottleReason = 'address-blocked' | 'too-many-failures';

/** Failed joins seen by this member, by candidate address; times come from the caller's clock. */
export class JoinThrottle {
  #failures = new Map<string, number[]>();
  #blockedUntil = new Map<string, number>();
  #all: number[] = [];

  /** Whether a candidate from `address` may start a PAKE now, or why not. */
  check(address: string, now: number): { ok: true } | { ok: false; reason: ThrottleReason } {
    const until = this.#blockedUntil.get(address);
    if (until !== undefined && now < until) return { ok: false, reason: 'address-blocked' };
    if (until !== undefined) this.#blockedUntil.delete(address);
    this.#all = recent(this.#all, now, JOIN_THROTTLE.overall.windowMs);
    if (this.#all.length >= JOIN_THROTTLE.overall.failures) return { ok: false, reason: 'too-many-failures' };
    return { ok: true };
  }

  /** Records a failed join (wrong password, malformed exchange) from `address`. */
  failed(address: string, now: number): void {
    const { failures, windowMs, blockMs } = JOIN_THROTTLE.perAddress;
    const list = recent(this.#failures.get(address) ?? [], now, windowMs);
    list.push(now);
    this.#all.push(now);
    if (list.length >= failures) {
      this.#blockedUntil.set(address, now + blockMs);
      this.#failures.delete(address);
    } else this.#failures.set(address, list);
  }
}

function recent(times: number[], now: number, windowMs: number): number[] {
  return times.filter((t) => now - t < windowMs);
}
