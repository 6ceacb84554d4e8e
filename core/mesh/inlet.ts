/** One channel's incoming frames (a pair's first channel or one of its lanes): unbundled, opened in order, handed on; bad ones reported. */
import type { Opened } from './mesh-keys.ts';
import { decodeBundle, isBundle } from './bundle.ts';

/** Frames of a not-yet-known epoch kept per channel while a rotation is in flight; more is dropped. */
export const MAX_PENDING_FRAMES = 256;

/** Frames that came before their turn (`ahead`) kept per channel, and their bytes; past either, they are dropped. */
export const MAX_HELD_FRAMES = 512;
export const MAX_HELD_BYTES = 32 * 1024 * 1024;

export interface InletOptions {
  /** Opens one frame with this channel's key (its lane's, from its peer). */
  open(frame: Uint8Array): Promise<Opened>;
  /** One opened message. A handler that throws is reported, and the frames after it still come. */
  deliver(data: Uint8Array): void;
  /** A frame or message was refused (`reason` as in MeshEvents `dropped`). */
  drop(reason: string): void;
  /** Whether the channel is still the pair's: once it is gone, nothing more is handed on. */
  alive(): boolean;
}

/**
 * Frames are opened one at a time, in arrival order: the channel is ordered and reliable, so the opener's strict
 * counter order holds per channel (across lanes there is no order, and none is needed: lanes.ts). One WebRTC stack
 * may still hand the answerer of a connection the first messages of a new channel out of order, a run of later ones
 * before earlier ones (docs/protocol.md §8 Mesh says which, and how often). So a frame a little ahead of its turn
 * (mesh-keys.ts REORDER_WINDOW) is held, with the rest of its message, and offered again each time a frame before it
 * was opened; the messages are handed on in counter order. A held frame is still checked when its turn comes (a forged
 * one then fails and is reported), and the held frames are bounded (MAX_HELD_FRAMES, MAX_HELD_BYTES).
 */
export class Inlet {
  readonly #o: InletOptions;
  #receiving: Promise<void> = Promise.resolve();
  /** Frames received and not yet opened, per channel message, in order; the first may wait for its epoch's key. */
  #inbox: Uint8Array[][] = [];
  /** Frames in `inbox`. */
  #queued = 0;
  /** The first frame of the inbox waits for a key: frames that arrive meanwhile wait behind it (bounded). */
  #waiting = false;
  /** Messages (their frames not yet opened) whose first frame came before its turn, in arrival order. */
  #held: Uint8Array[][] = [];
  #heldFrames = 0;
  #heldBytes = 0;

  constructor(options: InletOptions) {
    this.#o = options;
  }

  /** One channel message: a frame, or a bundle of frames (bundle.ts), queued in order to be opened. */
  arrived(message: Uint8Array): void {
    const frames = isBundle(message) ? decodeBundle(message) : [message];
    if (!frames) return this.#o.drop('bundle-malformed');
    // Frames wait behind one of an unknown epoch only up to a bound.
    const room = this.#waiting ? Math.max(0, MAX_PENDING_FRAMES - this.#queued) : frames.length;
    for (let i = room; i < frames.length; i++) this.#o.drop('pending-overflow');
    if (room === 0) return;
    this.#inbox.push(frames.slice(0, room));
    this.#queued += Math.min(room, frames.length);
    if (!this.#waiting) this.#drain();
  }

  /** Opens frames that waited for an epoch's key (after `keys.adopt`). */
  flush(): void {
    if (!this.#waiting) return;
    this.#waiting = false;
    this.#drain();
  }

  /** A failing handler must not stall the channel's later frames. */
  #drain(): void {
    this.#receiving = this.#receiving.then(() => this.#receive()).catch((error: unknown) => {
      this.#o.drop(`handler-error: ${String((error as Error)?.message ?? error)}`);
    });
  }

  /**
   * Opens the waiting frames in order, one channel message at a time, and hands each message's contents on together:
   * what a peer sent in one burst (a run of block requests) reaches its handlers in one go, so a block server sees
   * them queued side by side. A frame of an epoch whose key has not arrived stops the opening until `flush` (the
   * frames behind it wait too: the key comes in a message before them).
   */
  async #receive(): Promise<void> {
    while (this.#inbox.length > 0 && !this.#waiting && this.#o.alive()) {
      const frames = this.#inbox[0] as Uint8Array[];
      const opened: Uint8Array[] = [];
      while (frames.length > 0) {
        const result = await this.#o.open(frames[0] as Uint8Array);
        if (result.ok === 'later') {
          this.#waiting = true;
          break;
        }
        if (result.ok === 'ahead') {
          this.#hold(frames.splice(0));
          break;
        }
        frames.shift();
        this.#queued--;
        if (!result.ok) this.#o.drop(result.reason);
        else opened.push(result.data);
      }
      if (frames.length === 0) this.#inbox.shift();
      // Something opened: the held messages may now be next. They go before what came after them.
      if (opened.length > 0 && this.#held.length > 0) this.#release();
      for (const data of opened) {
        if (!this.#o.alive()) return;
        try {
          this.#o.deliver(data);
        } catch (error) {
          this.#o.drop(`handler-error: ${String((error as Error)?.message ?? error)}`);
        }
      }
    }
  }

  /** Keeps the rest of a message whose first frame came early, or drops it when the held frames are at their bound. */
  #hold(frames: Uint8Array[]): void {
    this.#queued -= frames.length;
    const bytes = frames.reduce((sum, f) => sum + f.length, 0);
    if (this.#heldFrames + frames.length > MAX_HELD_FRAMES || this.#heldBytes + bytes > MAX_HELD_BYTES) {
      for (let i = 0; i < frames.length; i++) this.#o.drop('out-of-order');
      return;
    }
    this.#held.push(frames);
    this.#heldFrames += frames.length;
    this.#heldBytes += bytes;
  }

  /** Puts the held messages back at the front of the inbox, in the order they came, to be offered again. */
  #release(): void {
    this.#inbox.unshift(...this.#held);
    this.#queued += this.#heldFrames;
    this.#held = [];
    this.#heldFrames = 0;
    this.#heldBytes = 0;
  }
}
