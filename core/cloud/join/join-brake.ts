/**
 * The validator's own brake on password guessing (docs/security.md: "members stop answering a source after repeated
 * failures"). The server blocks too, but a member must not depend on the server's honesty: an address that failed
 * 3 times in 10 minutes gets no answer for an hour, and whatever the addresses, no more than 20 failed joins an hour
 * are answered at all — so even a server that hides or rotates addresses buys an attacker at most 20 online guesses
 * an hour against an 80-bit password (core/crypto/password.ts).
 *
 * A guess is spent the moment the validator answers it (its confirmation tag tells the candidate whether the
 * password was right), so every answered guess counts as a failure at once and is taken back only when the
 * candidate's own key confirmation verifies: a candidate that reads the answer and leaves, or stalls, stays charged.
 */

/** The numbers of the policy; tests and the docs read them from here. */
export const JOIN_BRAKE = {
  perAddress: { failures: 3, windowMs: 10 * 60_000, blockMs: 60 * 60_000 },
  overall: { failures: 20, windowMs: 60 * 60_000 },
} as const;

/** Why a candidate gets no PAKE answer. */
export type ThrottleReason = 'address-blocked' | 'too-many-failures';

/** One counted guess; the same object is removed again when the join is confirmed. */
interface Charge {
  at: number;
}

/** Failed (and answered, unconfirmed) joins seen by this member, by candidate address; times come from the caller's clock. */
export class JoinBrake {
  #charges = new Map<string, Charge[]>();
  #blockedUntil = new Map<string, { until: number; cause: Charge }>();
  #all: Charge[] = [];

  /** Whether a candidate from `address` may start a PAKE now, or why not. */
  check(address: string, now: number): { ok: true } | { ok: false; reason: ThrottleReason } {
    const block = this.#blockedUntil.get(address);
    if (block !== undefined && now < block.until) return { ok: false, reason: 'address-blocked' };
    if (block !== undefined) this.#blockedUntil.delete(address);
    this.#all = recent(this.#all, now, JOIN_BRAKE.overall.windowMs);
    if (this.#all.length >= JOIN_BRAKE.overall.failures) return { ok: false, reason: 'too-many-failures' };
    return { ok: true };
  }

  /**
   * The validator answered a guess from `address`: it counts as a failure from now on. Call the returned
   * function when the candidate's key confirmation verified (the join succeeded); nothing else takes it back.
   */
  answered(address: string, now: number): () => void {
    const charge: Charge = { at: now };
    this.#charge(address, charge, now);
    return () => this.#refund(address, charge);
  }

  /** Records a failed join (wrong password, malformed exchange) from `address`. */
  failed(address: string, now: number): void {
    this.#charge(address, { at: now }, now);
  }

  #charge(address: string, charge: Charge, now: number): void {
    const { failures, windowMs, blockMs } = JOIN_BRAKE.perAddress;
    const list = recent(this.#charges.get(address) ?? [], now, windowMs);
    list.push(charge);
    this.#all.push(charge);
    this.#charges.set(address, list);
    if (list.length >= failures && !this.#blockedUntil.has(address)) this.#blockedUntil.set(address, { until: now + blockMs, cause: charge });
  }

  #refund(address: string, charge: Charge): void {
    this.#all = this.#all.filter((c) => c !== charge);
    const list = (this.#charges.get(address) ?? []).filter((c) => c !== charge);
    if (list.length > 0) this.#charges.set(address, list);
    else this.#charges.delete(address);
    // A block that this very guess tipped over is lifted: the guess turned out to be the right password.
    if (this.#blockedUntil.get(address)?.cause === charge) this.#blockedUntil.delete(address);
  }
}

function recent(charges: Charge[], now: number, windowMs: number): Charge[] {
  return charges.filter((c) => now - c.at < windowMs);
}
