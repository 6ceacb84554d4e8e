/**
 * A member's resume identity (docs/security.md, Reload): an Ed25519 key pair of its own, whose public half it announced
 * to the others over the sealed mesh. Back from a reload after a key rotation, it proves to the leader that it is that
 * member (a signature a departed member or the server cannot make) and gets the current session key sealed to an
 * ephemeral X25519 key that only it holds.
 */
import { concat, fromB64u, lvCat, readU32be, toB64u, u32be } from './bytes.ts';
import { SESSION_KEY_BYTES } from './key-schedule.ts';
import { getSodium } from './sodium.ts';

/** Prefix of a resume body relayed by the server: `r1.q.` a request, `r1.k.` the leader's answer. */
export const RESUME_PREFIX = 'r1.';
const REQUEST = `${RESUME_PREFIX}q.`;
const ANSWER = `${RESUME_PREFIX}k.`;

/** The seed a member keeps (sessionStorage, beside its resume token): 32 random bytes. */
export const RESUME_SEED_BYTES = 32;

/** The identity's public key (base64url, 43 characters), as the member's `profile` announces it. */
export async function resumePublicKey(seed: Uint8Array): Promise<string> {
  const sodium = await getSodium();
  return toB64u(sodium.crypto_sign_seed_keypair(seed).publicKey);
}

/** What the signature covers: the use, the session, who asks under which new ID, whom it asks, and where to seal the key. */
function statement(sessionId: string, from: string, to: string, ephemeral: Uint8Array): Uint8Array {
  return lvCat('quintet/v1/resume', sessionId, from, to, ephemeral);
}

/** A request to the leader `to`: the body to send and the ephemeral secret that opens the answer (never leaves memory). */
export async function resumeRequest(o: { seed: Uint8Array; sessionId: string; from: string; to: string }): Promise<{ body: string; open: (answer: string) => Promise<{ epoch: number; key: Uint8Array } | null> }> {
  const sodium = await getSodium();
  const identity = sodium.crypto_sign_seed_keypair(o.seed);
  const ephemeral = sodium.crypto_box_keypair();
  const signature = sodium.crypto_sign_detached(statement(o.sessionId, o.from, o.to, ephemeral.publicKey), identity.privateKey);
  const open = async (answer: string): Promise<{ epoch: number; key: Uint8Array } | null> => {
    const sealed = answer.startsWith(ANSWER) ? fromB64u(answer.slice(ANSWER.length)) : null;
    if (!sealed || sealed.length !== 4 + SESSION_KEY_BYTES + sodium.crypto_box_SEALBYTES) return null;
    try {
      const plain = sodium.crypto_box_seal_open(sealed, ephemeral.publicKey, ephemeral.privateKey);
      return { epoch: readU32be(plain, 0), key: plain.slice(4) };
    } catch {
      return null;
    }
  };
  return { body: REQUEST + toB64u(concat(ephemeral.publicKey, signature)), open };
}

/** Which kind of resume body this is, or null when it is none. */
export function resumeBodyKind(body: string): 'request' | 'answer' | null {
  return body.startsWith(REQUEST) ? 'request' : body.startsWith(ANSWER) ? 'answer' : null;
}

/**
 * Leader: checks a request from `from` (this member is `to`) against the identity `publicKey` the member announced;
 * answers with the session key of `epoch` sealed to the request's ephemeral key, or null when the proof is wrong.
 */
export async function answerResume(o: { body: string; publicKey: string; sessionId: string; from: string; to: string; epoch: number; key: Uint8Array }): Promise<string | null> {
  const sodium = await getSodium();
  const bytes = o.body.startsWith(REQUEST) ? fromB64u(o.body.slice(REQUEST.length)) : null;
  const publicKey = fromB64u(o.publicKey);
  if (!bytes || bytes.length !== sodium.crypto_box_PUBLICKEYBYTES + sodium.crypto_sign_BYTES) return null;
  if (publicKey?.length !== sodium.crypto_sign_PUBLICKEYBYTES || o.key.length !== SESSION_KEY_BYTES) return null;
  const ephemeral = bytes.slice(0, sodium.crypto_box_PUBLICKEYBYTES);
  const signature = bytes.slice(sodium.crypto_box_PUBLICKEYBYTES);
  let valid: boolean;
  try {
    valid = sodium.crypto_sign_verify_detached(signature, statement(o.sessionId, o.from, o.to, ephemeral), publicKey);
  } catch {
    valid = false; // a malformed key or signature is a wrong proof too
  }
  if (!valid) return null;
  return ANSWER + toB64u(sodium.crypto_box_seal(concat(u32be(o.epoch), o.key), ephemeral));
}
