/** The key schedule: every Cloud Session key derived from the session key and its epoch by HKDF-SHA-256 (RFC 5869). */
import type { Random } from '../ports.ts';
import type { SubtleLike } from './subtle.ts';
import { lvCat, u32be, utf8 } from './bytes.ts';
import { hkdf } from './hkdf.ts';

/** Session keys are 256-bit (docs/security.md, How the crypto fits). */
export const SESSION_KEY_BYTES = 32;

/** A fresh random session key: at creation, and by the leader at each rotation (epoch + 1). */
export function newSessionKey(random: Random): Uint8Array {
  const k = random.bytes(SESSION_KEY_BYTES);
  if (k.length !== SESSION_KEY_BYTES) throw new Error('Random returned the wrong length');
  return k;
}

/** What every derivation starts from. */
export interface EpochSecret {
  sessionKey: Uint8Array;
  /** Canonical session ID (e.g. `482-KQT-913`). */
  sessionId: string;
  /** u32: 0 for the first key, +1 at each rotation. */
  epoch: number;
}

/** RFC 5869 §3.1: a salt that is not secret but names the context; here the session. */
function salt(sessionId: string): Uint8Array {
  return utf8(`quintet/v1/${sessionId}`);
}

function checkSecret(s: EpochSecret): void {
  if (s.sessionKey.length !== SESSION_KEY_BYTES) throw new RangeError('session keys are 32 bytes');
  u32be(s.epoch); // throws when the epoch is not a u32
}

/**
 * The AES-256-GCM key sealing signaling envelopes between members `a` and `b` (either order gives
 * the same key; direction is bound by the envelope's AAD). RFC 5869 §3.2: `info` binds the use,
 * the epoch and both IDs, so two pairs or two epochs never share a key.
 */
export async function deriveSignalKey(subtle: SubtleLike, s: EpochSecret, a: string, b: string): Promise<Uint8Array> {
  checkSecret(s);
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return hkdf(subtle, { ikm: s.sessionKey, salt: salt(s.sessionId), info: lvCat('signal', u32be(s.epoch), lo, hi), length: 32 });
}

/** One direction's data-channel key material: an AES-256-GCM key and a 12-byte IV mask for nonces. */
export interface ChannelKey {
  key: Uint8Array;
  iv: Uint8Array;
}

/**
 * The data-channel key from `from` to `to` (per pair and per direction) and its IV: 44 bytes of
 * HKDF output split 32 + 12, as TLS 1.3 derives write_key and write_iv (RFC 8446 §7.3).
 */
export async function deriveChannelKey(subtle: SubtleLike, s: EpochSecret, from: string, to: string): Promise<ChannelKey> {
  checkSecret(s);
  if (from === to) throw new Error('a channel joins two different members');
  const okm = await hkdf(subtle, { ikm: s.sessionKey, salt: salt(s.sessionId), info: lvCat('channel', u32be(s.epoch), from, to), length: 44 });
  return { key: okm.slice(0, 32), iv: okm.slice(32) };
}

/**
 * The key of an extra lane (issue 16, docs/protocol.md §Mesh, Lanes): a further peer connection of the pair `from` →
 * `to`, opened by `from` and carrying only `from`'s frames, numbered `lane` (1–3) by its opener. Its own HKDF info
 * ('lane', epoch, both IDs in direction order, the index) gives each lane and direction its own key, IV and counter
 * space: no nonce is shared with the pair's first channel or another lane, and a frame moved between them fails.
 */
export async function deriveLaneKey(subtle: SubtleLike, s: EpochSecret, from: string, to: string, lane: number): Promise<ChannelKey> {
  checkSecret(s);
  if (from === to) throw new Error('a channel joins two different members');
  if (!Number.isInteger(lane) || lane < 1) throw new RangeError('extra lanes are numbered from 1');
  const okm = await hkdf(subtle, { ikm: s.sessionKey, salt: salt(s.sessionId), info: lvCat('lane', u32be(s.epoch), from, to, u32be(lane)), length: 44 });
  return { key: okm.slice(0, 32), iv: okm.slice(32) };
}

/**
 * Bytes for the safety words of an epoch, bound to the member IDs in join order with their letters (`A:<id>`,
 * `B:<id>`…): a server that shows members another order (another leader) gives them different words.
 */
export async function deriveSafetyBytes(subtle: SubtleLike, s: EpochSecret, memberIds: readonly string[], length: number): Promise<Uint8Array> {
  checkSecret(s);
  const lettered = memberIds.map((id, i) => `${String.fromCharCode(65 + i)}:${id}`);
  return hkdf(subtle, { ikm: s.sessionKey, salt: salt(s.sessionId), info: lvCat('safety', u32be(s.epoch), ...lettered), length });
}
