/** Standing groups (docs/protocol.md §11): each run's rendezvous and join password derived from the group secret, and the hub proof. */
import type { SubtleLike } from './subtle.ts';
import { getSodium } from './sodium.ts';
import { lvCat, toHex, utf8 } from './bytes.ts';
import { hkdf } from './hkdf.ts';
import { PASSWORD_ALPHABET, PASSWORD_SYMBOLS } from './password.ts';

/** The group secret G: 32 random bytes, created once by the hub, handed to members in the invite. */
export const GROUP_SECRET_BYTES = 32;

export { RENDEZVOUS } from '../protocol/session-id.ts';

/** A slot names one run of the group: the UTC day of the run, `YYYY-MM-DD` (tests may use any short label). */
export const SLOT = /^[0-9A-Za-z:_-]{1,32}$/;

function checkInputs(secret: Uint8Array, slot: string): void {
  if (secret.length !== GROUP_SECRET_BYTES) throw new RangeError('group secrets are 32 bytes');
  if (!SLOT.test(slot)) throw new RangeError(`not a slot: ${slot}`);
}

/** RFC 5869 §3.1: a salt naming the use; `info` binds what is derived and the slot, so no two outputs share bytes. */
function derive(subtle: SubtleLike, secret: Uint8Array, what: string, slot: string, length: number): Promise<Uint8Array> {
  checkInputs(secret, slot);
  return hkdf(subtle, { ikm: secret, salt: utf8('quintet/v1/group'), info: lvCat(what, slot), length });
}

/** R: where this slot's run meets on the server (the only group value the server sees). Fresh each slot, unlinkable without G. */
export async function deriveRendezvous(subtle: SubtleLike, secret: Uint8Array, slot: string): Promise<string> {
  return `g-${toHex(await derive(subtle, secret, 'rendezvous', slot, 16))}`;
}

/** J: this slot's session password (16 Crockford symbols, 80 bits, as `generatePassword` makes), fed to the CPace join. */
export async function deriveJoinPassword(subtle: SubtleLike, secret: Uint8Array, slot: string): Promise<string> {
  const bytes = await derive(subtle, secret, 'join-password', slot, PASSWORD_SYMBOLS);
  const symbols = [...bytes].map((b) => PASSWORD_ALPHABET[b & 31]).join('');
  return symbols.match(/.{4}/g)!.join('-');
}

/** The UTC day of `ms` as a slot. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The slots a member tries at `now` with `maxWaitMs` to wait: today's, and the adjacent UTC day when the hub may have
 * started (or may start) on the other side of midnight within the wait. Today's first.
 */
export function memberSlots(now: number, maxWaitMs: number): string[] {
  return [...new Set([utcDay(now), utcDay(now - maxWaitMs), utcDay(now + maxWaitMs)])];
}

/** An Ed25519 key pair (libsodium `crypto_sign_keypair`): the hub's, made once with the group. */
export async function newHubKeyPair(): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }> {
  const sodium = await getSodium();
  const { publicKey, privateKey } = sodium.crypto_sign_keypair();
  return { publicKey, secretKey: privateKey };
}

/** What the hub signs: this run (R, slot) and this join (the binding both ends derive from the CPace key, never sent). */
function proofStatement(rendezvous: string, slot: string, binding: Uint8Array): Uint8Array {
  return lvCat('quintet/group/v1/hub-proof', rendezvous, slot, binding);
}

/** The hub's signature over this run and join, sent inside the sealed handover. */
export async function signHubProof(secretKey: Uint8Array, run: { rendezvous: string; slot: string; binding: Uint8Array }): Promise<Uint8Array> {
  const sodium = await getSodium();
  return sodium.crypto_sign_detached(proofStatement(run.rendezvous, run.slot, run.binding), secretKey);
}

/** Whether `signature` is the hub's (its public key from the group file) over this run and join. False on any malformed input. */
export async function verifyHubProof(publicKey: Uint8Array, signature: Uint8Array, run: { rendezvous: string; slot: string; binding: Uint8Array }): Promise<boolean> {
  const sodium = await getSodium();
  if (publicKey.length !== sodium.crypto_sign_PUBLICKEYBYTES || signature.length !== sodium.crypto_sign_BYTES) return false;
  try {
    return sodium.crypto_sign_verify_detached(signature, proofStatement(run.rendezvous, run.slot, run.binding), publicKey);
  } catch {
    return false;
  }
}
