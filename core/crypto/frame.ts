/** Data-channel frames: AES-256-GCM with per-direction keys, counter nonces and a strict-order receiver. */
import type { SubtleLike } from './subtle.ts';
import type { ChannelKey } from './key-schedule.ts';
import { type AesKey, aesGcmOpen, aesGcmSealAfterAad, aesGcmSealParts, importAesKey } from './aes-gcm.ts';
import type { Parts } from './parts.ts';
import { concat, readU32be, readU64be, u32be, u64be } from './bytes.ts';

/** Frame format version (header byte 0). */
export const FRAME_VERSION = 1;
/** version(1) ‖ reserved zeros(3) ‖ epoch u32be ‖ counter u64be. */
export const FRAME_HEADER_BYTES = 16;
/** The GCM tag at the end of every frame (NIST SP 800-38D §5.2.1.2, 128 bits). */
export const FRAME_TAG_BYTES = 16;

/** Why a frame was refused. `auth-failed` covers a wrong key, a forged tag and altered or cut bytes. */
export type FrameReject = 'too-short' | 'bad-version' | 'wrong-epoch' | 'replay' | 'out-of-order' | 'auth-failed';

/** The outcome of opening one frame. */
export type FrameOpenResult =
  | { ok: true; counter: number; plaintext: Uint8Array }
  | { ok: false; reason: FrameReject; counter?: number };

/** The 12-byte nonce: IV XOR (0⁴ ‖ u64be(counter)), per-record nonces as in RFC 8446 §5.3. */
export function frameNonce(iv: Uint8Array, counter: number): Uint8Array {
  const n = concat(new Uint8Array(4), u64be(counter));
  for (let i = 0; i < 12; i++) n[i] = (n[i] as number) ^ (iv[i] as number);
  return n;
}

/** The 16-byte header, also the AAD, so epoch and counter cannot be changed without failing the tag. */
export function frameHeader(epoch: number, counter: number): Uint8Array {
  return concat(Uint8Array.of(FRAME_VERSION, 0, 0, 0), u32be(epoch), u64be(counter));
}

interface Prepared {
  subtle: SubtleLike;
  key: AesKey;
  iv: Uint8Array;
  epoch: number;
}

async function prepare(subtle: SubtleLike, channel: ChannelKey, epoch: number): Promise<Prepared> {
  if (channel.iv.length !== 12) throw new RangeError('channel IVs are 12 bytes');
  u32be(epoch);
  return { subtle, key: await importAesKey(subtle, channel.key), iv: channel.iv.slice(), epoch };
}

/**
 * Seals frames for one direction. Counters start at 0 and are taken synchronously when `seal` is
 * called, so several calls may be in flight and still carry consecutive counters in call order.
 */
export class FrameSealer {
  private counter = 0;
  private constructor(private readonly p: Prepared) {}

  /** A sealer for `channel` (from `deriveChannelKey(subtle, secret, self, peer)`) at `epoch`. */
  static async create(subtle: SubtleLike, channel: ChannelKey, epoch: number): Promise<FrameSealer> {
    return new FrameSealer(await prepare(subtle, channel, epoch));
  }

  /** The epoch this sealer writes. */
  get epoch(): number {
    return this.p.epoch;
  }

  /** The counter the next frame will carry. */
  get nextCounter(): number {
    return this.counter;
  }

  /** header ‖ ciphertext ‖ tag of `plaintext`, with the next counter. */
  seal(plaintext: Parts): Promise<Uint8Array> {
    const counter = this.counter++; // taken before any await: call order = counter order
    const header = frameHeader(this.p.epoch, counter);
    return aesGcmSealAfterAad(this.p.subtle, this.p.key, frameNonce(this.p.iv, counter), plaintext, header);
  }

  /** The same frame as `seal`, in parts (header, sealed body), for a writer that joins it into its message (core/mesh/outbox.ts). */
  sealParts(plaintext: Parts): Promise<Uint8Array[]> {
    const counter = this.counter++; // taken before any await: call order = counter order
    const header = frameHeader(this.p.epoch, counter);
    return aesGcmSealParts(this.p.subtle, this.p.key, frameNonce(this.p.iv, counter), plaintext, header);
  }
}

/**
 * Opens frames for one direction, in strict order: only the next counter at this epoch is accepted
 * (data channels are ordered and reliable, so anything else is a replay, a reorder or an attack).
 * Calls are handled one after another in call order; a refused frame does not advance the counter.
 */
export class FrameOpener {
  private expected = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private constructor(private readonly p: Prepared) {}

  /** An opener for the peer's `channel` (from `deriveChannelKey(subtle, secret, peer, self)`) at `epoch`. */
  static async create(subtle: SubtleLike, channel: ChannelKey, epoch: number): Promise<FrameOpener> {
    return new FrameOpener(await prepare(subtle, channel, epoch));
  }

  /** The epoch this opener reads. */
  get epoch(): number {
    return this.p.epoch;
  }

  /** The counter the next accepted frame must carry. */
  get nextCounter(): number {
    return this.expected;
  }

  /** The plaintext of `frame`, or why it was refused. Never throws on frame content. */
  open(frame: Uint8Array): Promise<FrameOpenResult> {
    const result = this.queue.then(() => this.openNow(frame));
    this.queue = result;
    return result;
  }

  private async openNow(frame: Uint8Array): Promise<FrameOpenResult> {
    if (frame.length < FRAME_HEADER_BYTES + FRAME_TAG_BYTES) return { ok: false, reason: 'too-short' };
    if (frame[0] !== FRAME_VERSION || frame[1] !== 0 || frame[2] !== 0 || frame[3] !== 0) return { ok: false, reason: 'bad-version' };
    const epoch = readU32be(frame, 4);
    const counter = readU64be(frame, 8);
    if (epoch !== this.p.epoch) return { ok: false, reason: 'wrong-epoch', counter };
    if (counter < this.expected) return { ok: false, reason: 'replay', counter };
    if (counter > this.expected) return { ok: false, reason: 'out-of-order', counter };
    const header = frame.subarray(0, FRAME_HEADER_BYTES);
    const plaintext = await aesGcmOpen(this.p.subtle, this.p.key, frameNonce(this.p.iv, counter), frame.subarray(FRAME_HEADER_BYTES), header);
    if (plaintext === null) return { ok: false, reason: 'auth-failed', counter };
    this.expected++;
    return { ok: true, counter, plaintext };
  }
}
