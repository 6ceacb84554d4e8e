/** One peer's outgoing frames: sealed in call order, queued within a byte cap, written as its channel drains, watched for stalls. */
import type { Timers } from '../ports.ts';
import type { PeerChannel } from './transport.ts';
import { bundleBytes, encodeBundle, fitsBundle } from './bundle.ts';
import { joinParts, partsLength, Scratch, wholePart, type Parts } from '../crypto/parts.ts';

/**
 * Backpressure (issue 6): past HIGH bytes queued in a channel, the next frame waits until it drains to LOW. Chromium's
 * data channel tops out near 30–36 MB/s and closes a channel whose queue passes 16 MiB; 1–4 MiB in flight keeps it busy.
 */
export const BUFFER_HIGH = 4 * 1024 * 1024;
export const BUFFER_LOW = 1024 * 1024;
/**
 * Bytes one peer's outbox may hold on top of its channel's buffer (issue 9): a send that would pass it drops the peer.
 * Room for the largest block (16 MiB, sent as pieces at once by the block server) and a blob's parts in flight.
 */
export const OUTBOX_CAP = 32 * 1024 * 1024;
/** A blob's next part waits until every outbox is at most this (core/cloud/cloud-session.ts `#paced`). */
export const OUTBOX_LOW = 8 * 1024 * 1024;
/** A peer whose channel takes no byte for this long while frames wait for it is dropped (issue 9). */
export const STALL_MS = 60_000;

/** How often the stall watch looks within STALL_MS. */
const SAMPLES = 4;

/** Why an outbox gave up on its peer. */
export type StallReason = 'stalled' | 'queue-full';

interface Outgoing {
  bytes: number;
  sealed: Promise<Parts>;
  /** The sealed frame once ready, in parts (what `flush` may still hand over when the channel closes). */
  frame: Parts | null;
  /** Resolves the sender's promise: the frame is in the channel and the channel has room again (or the peer is gone). */
  done: () => void;
}

export interface OutboxOptions {
  channel: PeerChannel;
  /** Seals one frame under the current epoch; called at send time, in call order. Plaintext and frame may be in parts. */
  seal(data: Parts): Promise<Parts>;
  timers: Timers;
  /** The peer does not drain, or its outbox would pass OUTBOX_CAP: the owner drops the peer. Called once. */
  onStall(reason: StallReason): void;
  /** A frame could not be sealed or written. */
  onError(): void;
  /** The outbox shrank (bulk producers waiting for room look again). */
  onShrink(): void;
}

/**
 * Sends never wait for each other across peers: each peer has its own outbox. Within one, frames go out in call order;
 * the channel's buffer stays under BUFFER_HIGH, the outbox under OUTBOX_CAP, so what a peer that stops reading costs
 * the sender is bounded, and STALL_MS without progress ends it.
 */
export class Outbox {
  readonly #o: OutboxOptions;
  #out: Outgoing[] = [];
  #queued = 0;
  #pumping = false;
  #closed = false;
  /** Bytes handed to the channel so far; minus its buffer, what has left it (progress). */
  #handed = 0;
  /**
   * An upper bound of the channel's buffer: its last reading plus what was written since (a buffer only shrinks by
   * itself). Reading `bufferedAmount` is a blocking call into the WebRTC thread under Node (@roamhq/wrtc), which cost
   * the sender more than sealing did when made twice per frame; it is read only once this bound passes BUFFER_HIGH.
   */
  #bound = 0;
  #cancelWatch: (() => void) | null = null;
  /**
   * Past `high` bytes in the channel the next frame waits for it to drain to `low`: BUFFER_HIGH / BUFFER_LOW, lower
   * while a pair has lanes (lanes.ts), so pieces go to the lanes that drain instead of deep queues on slow ones.
   */
  high = BUFFER_HIGH;
  low = BUFFER_LOW;
  /** Samples in a row that saw no progress. */
  #still = 0;
  /** Where messages are joined when the channel copies what it sends (PeerChannel.sendCopies): no buffer per message. */
  readonly #message = new Scratch();

  constructor(options: OutboxOptions) {
    this.#o = options;
  }

  /** Bytes waiting here, not yet handed to the channel. */
  get queued(): number {
    return this.#queued;
  }

  /** Bytes waiting here plus an upper bound of the channel's buffer, without reading it (lanes.ts picks the least). */
  get load(): number {
    return this.#queued + this.#bound;
  }

  /** Bytes that have left the channel so far (handed to it, minus its buffer): lanes.ts measures a pair's rate with it. */
  get progress(): number {
    return this.#handed - this.buffered;
  }

  /** Bytes in the channel's own buffer. */
  get buffered(): number {
    return this.#o.channel.bufferedAmount?.() ?? 0;
  }

  /** Queues one frame. Resolves once it is in the channel and the channel has room, or once the peer is gone. */
  send(data: Parts): { sealed: Promise<unknown>; done: Promise<void> } {
    if (this.#closed) return { sealed: Promise.resolve(), done: Promise.resolve() };
    const bytes = partsLength(data);
    if (this.#queued + bytes > OUTBOX_CAP) {
      this.#stall('queue-full');
      return { sealed: Promise.resolve(), done: Promise.resolve() };
    }
    let done!: () => void;
    const promise = new Promise<void>((resolve) => (done = resolve));
    const entry: Outgoing = { bytes, sealed: this.#o.seal(data), frame: null, done };
    entry.sealed.then((frame) => (entry.frame = frame), () => undefined);
    this.#out.push(entry);
    this.#queued += entry.bytes;
    void this.#pump();
    return { sealed: entry.sealed.catch(() => undefined), done: promise };
  }

  /** Hands every frame already sealed to the channel, ignoring backpressure (before a close that says goodbye). */
  flush(): void {
    while (!this.#closed && this.#out[0]?.frame) this.#write([this.#out.shift() as Outgoing], true);
  }

  /** Stops: nothing more is sent, every waiting sender is released. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelWatch?.();
    for (const entry of this.#out.splice(0)) entry.done();
    this.#queued = 0;
    this.#o.onShrink();
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    while (!this.#closed && this.#out.length > 0) {
      const entry = this.#out[0] as Outgoing;
      await entry.sealed.catch(() => undefined);
      if (this.#closed || this.#out[0] !== entry) continue; // closed, or flushed meanwhile
      const batch = await this.#batch(entry);
      if (this.#closed || this.#out[0] !== entry) continue;
      this.#out.splice(0, batch.length);
      this.#write(batch);
      if (this.#bound > this.high && (this.#bound = this.buffered) > this.high) {
        await this.#o.channel.drained?.(this.low);
        this.#bound = this.buffered;
      }
      for (const e of batch) e.done();
    }
    this.#pumping = false;
  }

  /**
   * The head frame (sealed) and the frames queued behind it that fit one bundle with it (issue 16): each channel send
   * costs the same whatever its size (under Node a blocking call into the WebRTC thread), so the small frames a burst
   * queued (requests, small files' pieces) go out as one message. Frames behind it are being sealed already, in call
   * order: waiting for them costs no more than sending them one by one would.
   */
  async #batch(head: Outgoing): Promise<Outgoing[]> {
    const batch = [head];
    let used = bundleBytes([head.frame ?? new Uint8Array(0)]);
    for (let i = 1; i < this.#out.length; i++) {
      const next = this.#out[i] as Outgoing;
      // A sealed frame is its plaintext plus 32 bytes (header, tag).
      const length = next.frame ? partsLength(next.frame) : next.bytes + 32;
      if (!fitsBundle(used, length)) break;
      batch.push(next);
      used += 4 + length;
    }
    if (batch.length === 1 || !head.frame) return [head];
    await Promise.all(batch.map((e) => e.sealed.catch(() => undefined)));
    const sealed = batch.findIndex((e) => !e.frame);
    return sealed === -1 ? batch : batch.slice(0, Math.max(1, sealed));
  }

  #write(batch: Outgoing[], release = false): void {
    for (const e of batch) this.#queued -= e.bytes;
    try {
      if (batch.some((e) => !e.frame)) throw new Error('not sealed');
      const frames = batch.map((e) => e.frame as Parts);
      // A channel that copies on send gets every message joined in one reused buffer; others a buffer of its own.
      const into = this.#o.channel.sendCopies ? this.#message : undefined;
      const one = frames.length === 1 ? (frames[0] as Parts) : null;
      const message = one ? (wholePart(one) ?? (into ? into.join(one) : joinParts(one))) : encodeBundle(frames, into);
      this.#o.channel.send(message);
      this.#handed += message.length;
      this.#bound += message.length;
      this.#watch(); // armed once per STALL_MS / SAMPLES at most; it reads the buffer only when its timer fires
    } catch {
      this.#o.onError();
    }
    if (release) for (const e of batch) e.done();
    this.#o.onShrink();
  }

  /**
   * While bytes wait (in the channel or here), the channel is sampled every STALL_MS / SAMPLES: SAMPLES samples in a row
   * with no byte gone from it (STALL_MS to STALL_MS + one period without progress) end the peer.
   */
  #watch(): void {
    if (this.#cancelWatch) return;
    const mark = this.progress;
    this.#cancelWatch = this.#o.timers.after(STALL_MS / SAMPLES, () => {
      this.#cancelWatch = null;
      if (this.#closed) return;
      if (this.buffered === 0 && this.#out.length === 0) return void (this.#still = 0); // all gone: re-armed at the next write
      this.#still = this.progress > mark ? 0 : this.#still + 1;
      if (this.#still >= SAMPLES) return this.#stall('stalled');
      this.#watch();
    });
  }

  #stall(reason: StallReason): void {
    if (this.#closed) return;
    this.close();
    this.#o.onStall(reason);
  }
}
