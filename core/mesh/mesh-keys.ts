/** Per-pair keys of the mesh, by epoch: frame sealers/openers and signaling-envelope keys, all derived by core/crypto. */
import type { Random } from '../ports.ts';
import type { SubtleLike } from '../crypto/subtle.ts';
import { deriveChannelKey, deriveLaneKey, deriveSignalKey } from '../crypto/key-schedule.ts';
import { FrameOpener, FrameSealer } from '../crypto/frame.ts';
import { openEnvelope, peekEnvelopeEpoch, sealEnvelope } from '../crypto/envelope.ts';
import { importAesKey, type AesKey } from '../crypto/aes-gcm.ts';
import type { Parts } from '../crypto/parts.ts';

/** Why a frame was dropped: core/crypto's rejections, plus a frame of an epoch this member has no key for. */
export type FrameDrop = string;

/**
 * How far past the next expected counter a frame may be and still be kept for later (`ahead`) rather than refused as
 * out of order. Channels are ordered, so an honest peer's frames only come early where the WebRTC stack reorders them
 * (inlet.ts says where); anything further is refused at once.
 */
export const REORDER_WINDOW = 1024;

/**
 * Outcome of opening one frame. `later`: its epoch's key has not arrived yet (rotation in flight); keep it. `ahead`:
 * its counter is past the next one by at most REORDER_WINDOW and it was not opened; keep it until the gap is filled.
 */
export type Opened = { ok: true; data: Uint8Array } | { ok: false; reason: FrameDrop } | { ok: 'later'; epoch: number } | { ok: 'ahead' };

/** The epoch a frame claims (header bytes 4–7, u32 big-endian; core/crypto README "Frames"), or null if too short. */
export function frameEpoch(frame: Uint8Array): number | null {
  if (frame.length < 8) return null;
  return (((frame[4] as number) << 24) | ((frame[5] as number) << 16) | ((frame[6] as number) << 8) | (frame[7] as number)) >>> 0;
}

/** The key of one lane's sealer or opener state: the peer for lane 0 (the first channel), `peer#lane` for the others. */
const laneId = (peer: string, lane: number): string => (lane === 0 ? peer : `${peer}#${lane}`);

/**
 * Keys for one member's view of the session: every session key it has held, by epoch, and the sealers and openers
 * derived from them per peer. A new epoch replaces the sealers at once; openers of an older epoch stay until that
 * peer's first frame of the newer one (its channel is ordered, so nothing older can follow). Each extra lane of a pair
 * (lanes.ts; numbered by its opener, which alone sends on it) has its own sealer or opener per epoch, under its own
 * key (deriveLaneKey): lane 0 is the pair's first channel.
 */
export class MeshKeys {
  readonly #subtle: SubtleLike;
  readonly #random: Random;
  readonly #sessionId: string;
  readonly #self: string;
  readonly #keys = new Map<number, Uint8Array>();
  #epoch: number;
  readonly #sealers = new Map<string, Promise<FrameSealer>>();
  readonly #openers = new Map<string, Promise<FrameOpener>>();
  readonly #newest = new Map<string, number>();

  constructor(options: { subtle: SubtleLike; random: Random; sessionId: string; self: string; sessionKey: Uint8Array; epoch: number }) {
    this.#subtle = options.subtle;
    this.#random = options.random;
    this.#sessionId = options.sessionId;
    this.#self = options.self;
    this.#epoch = options.epoch;
    this.#keys.set(options.epoch, options.sessionKey);
  }

  /** The current epoch. */
  get epoch(): number {
    return this.#epoch;
  }

  /** The current session key (sealed into a join handover). */
  get sessionKey(): Uint8Array {
    return this.#keys.get(this.#epoch) as Uint8Array;
  }

  /** Whether this epoch's key is known. */
  has(epoch: number): boolean {
    return this.#keys.has(epoch);
  }

  /** Moves to a newer session key (rotation). Older epochs are ignored: a replayed rekey cannot roll keys back. */
  adopt(epoch: number, sessionKey: Uint8Array): boolean {
    if (epoch <= this.#epoch) return false;
    this.#keys.set(epoch, sessionKey);
    this.#epoch = epoch;
    this.#sealers.clear();
    for (const old of [...this.#keys.keys()]) if (old < epoch - 1) this.#keys.delete(old);
    return true;
  }

  /**
   * Seals a data-channel frame to `peer` on `lane` (0: the first channel) under the current epoch. Callers keep frames
   * in order per lane. The plaintext may come in parts (a block piece's header and bytes); so does the frame (header,
   * sealed body: core/crypto/frame.ts sealParts), joined where it is written.
   */
  async seal(peer: string, data: Parts, lane = 0): Promise<Uint8Array[]> {
    const id = laneId(peer, lane);
    let sealer = this.#sealers.get(id);
    if (!sealer) {
      const epoch = this.#epoch; // read now: a rotation may land before the derivation resolves
      sealer = this.#channel(this.#self, peer, epoch, lane).then((k) => FrameSealer.create(this.#subtle, k, epoch));
      this.#sealers.set(id, sealer);
    }
    return (await sealer).sealParts(data);
  }

  /**
   * Opens a frame from `peer` on `lane` (0: the first channel). Callers open frames of one lane one at a time, in
   * arrival order, and offer an `ahead` frame again once the frames before it were opened.
   */
  async open(peer: string, frame: Uint8Array, lane = 0): Promise<Opened> {
    const epoch = frameEpoch(frame);
    if (epoch === null) return { ok: false, reason: 'too-short' };
    if (!this.#keys.has(epoch)) return epoch > this.#epoch ? { ok: 'later', epoch } : { ok: false, reason: 'wrong-epoch' };
    const lid = laneId(peer, lane);
    if (epoch < (this.#newest.get(lid) ?? 0)) return { ok: false, reason: 'wrong-epoch' };
    const id = `${lid}/${epoch}`;
    let opener = this.#openers.get(id);
    if (!opener) {
      opener = this.#channel(peer, this.#self, epoch, lane).then((k) => FrameOpener.create(this.#subtle, k, epoch));
      this.#openers.set(id, opener);
    }
    const frameOpener = await opener;
    const result = await frameOpener.open(frame);
    if (!result.ok) {
      // Read once this frame's turn is over: the caller opens frames of one lane one at a time.
      const ahead = result.reason === 'out-of-order' && result.counter !== undefined && result.counter - frameOpener.nextCounter <= REORDER_WINDOW;
      return ahead ? { ok: 'ahead' } : { ok: false, reason: result.reason };
    }
    if (epoch > (this.#newest.get(lid) ?? -1)) {
      this.#newest.set(lid, epoch);
      for (const key of [...this.#openers.keys()]) if (key.startsWith(`${lid}/`) && key !== id) this.#openers.delete(key);
    }
    return { ok: true, data: result.plaintext };
  }

  /** Forgets a peer that left: its counters must never be reused. */
  forget(peer: string): void {
    const mine = (key: string) => key === peer || key.startsWith(`${peer}/`) || key.startsWith(`${peer}#`);
    for (const map of [this.#sealers, this.#newest, this.#openers]) for (const key of [...map.keys()]) if (mine(key)) map.delete(key);
  }

  /** Seals a signaling body (SDP, ICE) to `peer` with the pair's signal key: the server relays ciphertext. */
  async sealSignal(peer: string, type: string, body: string): Promise<string> {
    const key = await this.#signalKey(peer, this.#epoch);
    return sealEnvelope(this.#subtle, { key: key as AesKey, random: this.#random, sessionId: this.#sessionId, epoch: this.#epoch, from: this.#self, to: peer, type, body });
  }

  /** Opens a signaling body from `peer` under the epoch it names, if this member holds that key. */
  async openSignal(peer: string, sealed: string): Promise<{ ok: true; type: string; body: string } | { ok: false; reason: string }> {
    const epoch = peekEnvelopeEpoch(sealed);
    if (epoch === null) return { ok: false, reason: 'malformed' };
    const key = await this.#signalKey(peer, epoch);
    if (key === null) return { ok: false, reason: 'wrong-epoch' };
    const opened = await openEnvelope(this.#subtle, { body: sealed, sessionId: this.#sessionId, from: peer, to: this.#self, key, epoch });
    if (!opened.ok) return opened;
    if (typeof opened.body !== 'string') return { ok: false, reason: 'malformed' };
    return { ok: true, type: opened.type, body: opened.body };
  }

  async #signalKey(peer: string, epoch: number): Promise<AesKey | null> {
    const sessionKey = this.#keys.get(epoch);
    if (!sessionKey) return null;
    return importAesKey(this.#subtle, await deriveSignalKey(this.#subtle, { sessionKey, sessionId: this.#sessionId, epoch }, this.#self, peer));
  }

  #channel(from: string, to: string, epoch: number, lane: number) {
    const secret = { sessionKey: this.#keys.get(epoch) as Uint8Array, sessionId: this.#sessionId, epoch };
    return lane === 0 ? deriveChannelKey(this.#subtle, secret, from, to) : deriveLaneKey(this.#subtle, secret, from, to, lane);
  }
}
