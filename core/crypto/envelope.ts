/** Sealed signaling envelopes: the opaque `body` of a signaling `send`, AES-256-GCM under the pair's signal key. */
import type { Random } from '../ports.ts';
import type { SubtleLike } from './subtle.ts';
import { type AesKey, aesGcmOpen, aesGcmSeal, importAesKey } from './aes-gcm.ts';
import { concat, fromB64u, fromUtf8, lvCat, readU32be, toB64u, u32be, utf8 } from './bytes.ts';

/** Prefix of a sealed envelope body. */
export const ENVELOPE_PREFIX = 'e1.';
/** Prefix of a join (CPace) message body; see join.ts. */
export const JOIN_PREFIX = 'j1.';
/**
 * Longest body we produce: the server's default `maxFrameBytes` is 64 KiB (docs/signaling-protocol.md,
 * Limits) and the `send` JSON around the body takes < 100 bytes; 1 KiB of margin.
 */
export const MAX_ENVELOPE_BODY_CHARS = 64 * 1024 - 1024;

const VERSION = 1;
const TYPE_RE = /^[a-z0-9-]{1,32}$/;

/** What a relayed body is, from its prefix. */
export function bodyKind(body: string): 'join' | 'envelope' | 'unknown' {
  if (body.startsWith(JOIN_PREFIX)) return 'join';
  if (body.startsWith(ENVELOPE_PREFIX)) return 'envelope';
  return 'unknown';
}

/** AAD of an envelope: it binds session, sender, recipient, epoch and type (NIST SP 800-38D §5.2.1.1). */
function envelopeAad(sessionId: string, from: string, to: string, epoch: number, type: string): Uint8Array {
  return lvCat('quintet/v1/envelope', sessionId, from, to, u32be(epoch), type);
}

/** Options of `sealEnvelope`. */
export interface SealEnvelopeOptions {
  /** The pair's signal key at `epoch`: 32 raw bytes from deriveSignalKey, or the same imported with importAesKey. */
  key: Uint8Array | AesKey;
  random: Random;
  sessionId: string;
  epoch: number;
  from: string;
  to: string;
  /** Message kind in clear, e.g. `offer`, `answer`, `ice`: `[a-z0-9-]{1,32}`. Bound by the AAD. */
  type: string;
  /** Any JSON-serializable value; sealed. */
  body: unknown;
}

/**
 * `"e1." + b64u(version(1) ‖ epoch u32be ‖ len(type)(1) ‖ type ‖ nonce(12) ‖ ciphertext ‖ tag)`.
 * Nonces are random: a pair key seals few envelopes, far below the 2^32 limit of NIST SP 800-38D §8.3.
 * Throws when the result would exceed MAX_ENVELOPE_BODY_CHARS (a programming error: SDP is a few KiB).
 */
export async function sealEnvelope(subtle: SubtleLike, o: SealEnvelopeOptions): Promise<string> {
  if (!TYPE_RE.test(o.type)) throw new Error('envelope type must match [a-z0-9-]{1,32}');
  const nonce = o.random.bytes(12);
  const plaintext = utf8(JSON.stringify(o.body ?? null));
  const key = o.key instanceof Uint8Array ? await importAesKey(subtle, o.key) : o.key;
  const sealed = await aesGcmSeal(subtle, key, nonce, plaintext, envelopeAad(o.sessionId, o.from, o.to, o.epoch, o.type));
  const type = utf8(o.type);
  const out = ENVELOPE_PREFIX + toB64u(concat(Uint8Array.of(VERSION), u32be(o.epoch), Uint8Array.of(type.length), type, nonce, sealed));
  if (out.length > MAX_ENVELOPE_BODY_CHARS) throw new RangeError('envelope too large for the signaling server');
  return out;
}

/** Why an envelope was refused. */
export type EnvelopeReject = 'malformed' | 'too-large' | 'wrong-epoch' | 'auth-failed';

/** The outcome of opening an envelope. */
export type EnvelopeOpenResult = { ok: true; epoch: number; type: string; body: unknown } | { ok: false; reason: EnvelopeReject };

/** Options of `openEnvelope`. */
export interface OpenEnvelopeOptions {
  /** The relayed body string. */
  body: string;
  sessionId: string;
  /** The sender as the server's `envelope.from` says; a lie fails the AAD. */
  from: string;
  /** This member's own ID. */
  to: string;
  /** The pair's signal key at `epoch` (raw 32 bytes or imported). */
  key: Uint8Array | AesKey;
  /** The epoch of `key`; an envelope naming another epoch is refused as `wrong-epoch` before any decryption. */
  epoch: number;
}

/** The epoch an envelope names (to pick the key), or null if the body is not a well-formed envelope. */
export function peekEnvelopeEpoch(body: string): number | null {
  if (!body.startsWith(ENVELOPE_PREFIX)) return null;
  const head = fromB64u(body.slice(ENVELOPE_PREFIX.length, ENVELOPE_PREFIX.length + 8));
  return head === null || head.length < 5 || head[0] !== VERSION ? null : readU32be(head, 1);
}

/** Opens an envelope sealed by `sealEnvelope`; never throws on body content. */
export async function openEnvelope(subtle: SubtleLike, o: OpenEnvelopeOptions): Promise<EnvelopeOpenResult> {
  if (o.body.length > MAX_ENVELOPE_BODY_CHARS) return { ok: false, reason: 'too-large' };
  if (!o.body.startsWith(ENVELOPE_PREFIX)) return { ok: false, reason: 'malformed' };
  const bin = fromB64u(o.body.slice(ENVELOPE_PREFIX.length));
  if (bin === null || bin.length < 6 || bin[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const epoch = readU32be(bin, 1);
  const typeLen = bin[5] as number;
  const typeEnd = 6 + typeLen;
  if (bin.length < typeEnd + 12 + 16) return { ok: false, reason: 'malformed' };
  const type = fromUtf8(bin.subarray(6, typeEnd));
  if (type === null || !TYPE_RE.test(type)) return { ok: false, reason: 'malformed' };
  if (epoch !== o.epoch) return { ok: false, reason: 'wrong-epoch' };
  const key = o.key instanceof Uint8Array ? await importAesKey(subtle, o.key) : o.key;
  const nonce = bin.subarray(typeEnd, typeEnd + 12);
  const plaintext = await aesGcmOpen(subtle, key, nonce, bin.subarray(typeEnd + 12), envelopeAad(o.sessionId, o.from, o.to, epoch, type));
  if (plaintext === null) return { ok: false, reason: 'auth-failed' };
  const text = fromUtf8(plaintext);
  if (text === null) return { ok: false, reason: 'malformed' };
  try {
    return { ok: true, epoch, type, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
}
