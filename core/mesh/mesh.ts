/** The mesh: one sealed channel per peer (≤ 4), fan-out, sealed signaling; a bad frame is dropped and reported. */
import { Emitter } from '../events.ts';
import type { MeshKeys } from './mesh-keys.ts';
import type { Timers } from '../ports.ts';
import { Outbox, OUTBOX_LOW, type StallReason } from './outbox.ts';
import { decodeBundle, isBundle } from './bundle.ts';
import type { ChannelStats, PeerChannel, Transport } from './transport.ts';

/** Envelope `type` for WebRTC signaling data. One type for offers, answers and candidates: the server learns less. */
export const RTC_ENVELOPE_TYPE = 'rtc';

/** Frames of a not-yet-known epoch kept per peer while a rotation is in flight; more is dropped. */
const MAX_PENDING_FRAMES = 256;

export { BUFFER_HIGH, BUFFER_LOW, OUTBOX_CAP, OUTBOX_LOW, STALL_MS, type StallReason } from './outbox.ts';

/**
 * What the mesh reports. `dropped` covers forged, replayed, reordered or truncated frames and bad envelopes.
 * `peer.stalled`: the mesh closed a peer's channel because it took nothing for STALL_MS while frames waited, or its
 * outbox would have passed OUTBOX_CAP (`peer.down` came just before).
 */
export type MeshEvents = {
  'peer.up': [peer: string];
  'peer.down': [peer: string];
  'peer.stalled': [peer: string, reason: StallReason];
  message: [from: string, data: Uint8Array];
  dropped: [from: string, reason: string];
};

interface PeerState {
  channel: PeerChannel;
  up: boolean;
  outbox: Outbox;
  receiving: Promise<void>;
  /** Frames received and not yet opened, per channel message, in order; the first may wait for its epoch's key. */
  inbox: Uint8Array[][];
  /** Frames in `inbox`. */
  queued: number;
  /** The first frame of the inbox waits for a key: frames that arrive meanwhile wait behind it (bounded). */
  waiting: boolean;
}

/** Options: who I am, the transport, the keys, and how to reach a peer through the signaling server. */
export interface MeshOptions {
  self: string;
  transport: Transport;
  keys: MeshKeys;
  /** Sends an (already sealed) envelope body to `to` via the signaling server. */
  sendSignal(to: string, body: string): void;
  /** The stall deadline's timer. */
  timers: Timers;
}

/** A full mesh seen from one member. Order per peer is kept both ways: sealing and opening run one at a time. */
export class Mesh extends Emitter<MeshEvents> {
  readonly #options: MeshOptions;
  readonly #peers = new Map<string, PeerState>();
  #roomWaiters: (() => void)[] = [];
  /** After `farewell`'s bye: nothing more goes out. */
  #hushed = false;
  /** The farewell under way: `close()` waits for it. */
  #farewell: Promise<void> | null = null;

  constructor(options: MeshOptions) {
    super();
    this.#options = options;
  }

  /** The keys in use (rotation replaces the session key inside them). */
  get keys(): MeshKeys {
    return this.#options.keys;
  }

  /** Peers whose channel is open. */
  get connected(): string[] {
    return [...this.#peers].filter(([, p]) => p.up).map(([id]) => id);
  }

  /** Opens the channel to `peer`. The newer member initiates, so each pair makes exactly one offer. */
  connect(peer: string, initiator: boolean): void {
    if (this.#peers.has(peer) || peer === this.#options.self) return;
    const state = { up: false, receiving: Promise.resolve(), inbox: [], queued: 0, waiting: false } as unknown as PeerState;
    this.#peers.set(peer, state);
    state.channel = this.#options.transport.open({
      peer,
      initiator,
      handlers: {
        onSignal: (data) => void this.#options.keys.sealSignal(peer, RTC_ENVELOPE_TYPE, data).then((body) => this.#options.sendSignal(peer, body)),
        onConnect: () => {
          state.up = true;
          this.emit('peer.up', peer);
        },
        onData: (message) => this.#arrived(peer, state, message),
        onClose: () => this.#closed(peer, state),
      },
    });
    state.outbox = new Outbox({
      channel: state.channel,
      seal: (data) => this.#options.keys.seal(peer, data),
      timers: this.#options.timers,
      onStall: (reason) => {
        this.disconnect(peer);
        this.emit('peer.stalled', peer, reason);
      },
      onError: () => this.emit('dropped', peer, 'send-failed'),
      onShrink: () => this.#checkRoom(),
    });
  }

  /** A signaling envelope from `peer`: opened with the pair's key, then fed to its channel. Bad ones are dropped. */
  async receiveSignal(from: string, body: string): Promise<void> {
    const state = this.#peers.get(from);
    if (!state) return this.emit('dropped', from, 'unknown-peer');
    const opened = await this.#options.keys.openSignal(from, body);
    if (!opened.ok) return this.emit('dropped', from, `envelope-${opened.reason}`);
    if (opened.type !== RTC_ENVELOPE_TYPE) return this.emit('dropped', from, 'envelope-type');
    state.channel.signal(opened.body);
  }

  /**
   * Sends to one peer, sealed now under the current epoch (a rotation right after must not re-key a message already
   * sent), written in call order. Resolves once in the channel and the channel has room (the sender's backpressure),
   * or once the peer is gone; never waits for another peer.
   */
  send(peer: string, data: Uint8Array): Promise<void> {
    const state = this.#peers.get(peer);
    if (!state?.up || this.#hushed) return Promise.resolve();
    return state.outbox.send(data).done;
  }

  /** What waits for `peer`: in its outbox (`queued`) and in its channel's buffer (`buffered`), in bytes. */
  held(peer: string): { queued: number; buffered: number } {
    const state = this.#peers.get(peer);
    return { queued: state?.outbox.queued ?? 0, buffered: state?.up ? state.outbox.buffered : 0 };
  }

  /**
   * Resolves once every peer's outbox is at most OUTBOX_LOW: what a producer of many frames (a blob's parts) waits for
   * before the next. A peer that does not drain is dropped at STALL_MS, so this wait ends.
   */
  room(): Promise<void> {
    if (this.#hasRoom()) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  /** The data channel's own byte counters per connected peer (empty where the transport has none). */
  async stats(): Promise<Record<string, ChannelStats>> {
    const out: Record<string, ChannelStats> = {};
    if (this.#hushed) return out;
    for (const [peer, state] of this.#peers) {
      const stats = state.up ? await state.channel.stats?.().catch(() => undefined) : undefined;
      if (stats) out[peer] = stats;
    }
    return out;
  }

  /**
   * Fan-out: the same message to every connected peer (at most four), each sealed under its own pair key and queued in
   * its outbox. Resolves once sealed and queued: one peer's full channel never holds back the others or the caller.
   */
  async broadcast(data: Uint8Array): Promise<void> {
    if (this.#hushed) return;
    const states = this.connected.map((peer) => this.#peers.get(peer) as PeerState);
    await Promise.all(states.map((state) => state.outbox.send(data).sealed));
  }

  /** Opens frames that waited for an epoch's key (call after `keys.adopt`). */
  flushPending(): void {
    for (const [peer, state] of this.#peers) {
      if (!state.waiting) continue;
      state.waiting = false;
      this.#drain(peer, state);
    }
  }

  /** Closes the channel to a peer that left and forgets its keys; `flush` first hands over what is already sealed. */
  disconnect(peer: string, flush = false): void {
    const state = this.#peers.get(peer);
    if (!state) return;
    if (flush) state.outbox.flush();
    this.#peers.delete(peer);
    state.outbox.close();
    this.#options.keys.forget(peer);
    state.channel.close();
    if (state.up) this.emit('peer.down', peer);
  }

  /**
   * Leaving: `bye` to every peer, then nothing more is sent (send, broadcast and stats do nothing), and this resolves
   * once no peer's channel is open any more (each closed it on `bye`) or after `ms`. The peers close first because
   * closing while a peer may still send is what crashed @roamhq/wrtc: a send on a channel whose other end was just
   * torn down (a native use after free, in `RTCDataChannel::Send`).
   */
  farewell(bye: Uint8Array, ms: number): Promise<void> {
    if (!this.#farewell) this.#farewell = this.#part(bye, ms);
    return this.#farewell;
  }

  async #part(bye: Uint8Array, ms: number): Promise<void> {
    const said = this.broadcast(bye);
    this.#hushed = true;
    await said;
    const alone = () => ![...this.#peers.values()].some((p) => p.up);
    if (alone()) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        cancel();
        off();
        resolve();
      };
      const cancel = this.#options.timers.after(ms, done);
      const off = this.on('peer.down', () => alone() && done());
    });
  }

  /** Closes every channel, after handing over what was sealed for it (a `bye` before leaving: once its farewell ends). */
  close(): void {
    if (this.#farewell) return void this.#farewell.then(() => this.#closeAll());
    this.#closeAll();
  }

  #closeAll(): void {
    for (const peer of [...this.#peers.keys()]) this.disconnect(peer, true);
  }

  #hasRoom(): boolean {
    return [...this.#peers.values()].every((state) => state.outbox.queued <= OUTBOX_LOW);
  }

  #checkRoom(): void {
    if (this.#roomWaiters.length === 0 || !this.#hasRoom()) return;
    for (const resolve of this.#roomWaiters.splice(0)) resolve();
  }

  /** One channel message: a frame, or a bundle of frames (bundle.ts), queued in order to be opened. */
  #arrived(peer: string, state: PeerState, message: Uint8Array): void {
    const frames = isBundle(message) ? decodeBundle(message) : [message];
    if (!frames) return this.emit('dropped', peer, 'bundle-malformed');
    // Frames wait behind one of an unknown epoch only up to a bound.
    const room = state.waiting ? Math.max(0, MAX_PENDING_FRAMES - state.queued) : frames.length;
    for (let i = room; i < frames.length; i++) this.emit('dropped', peer, 'pending-overflow');
    if (room === 0) return;
    state.inbox.push(frames.slice(0, room));
    state.queued += Math.min(room, frames.length);
    if (!state.waiting) this.#drain(peer, state);
  }

  /** Frames of one peer are opened one at a time, in order; a failing handler must not stall the peer's later frames. */
  #drain(peer: string, state: PeerState): void {
    state.receiving = state.receiving.then(() => this.#receive(peer, state)).catch((error: unknown) => {
      this.emit('dropped', peer, `handler-error: ${String((error as Error)?.message ?? error)}`);
    });
  }

  /**
   * Opens the waiting frames in order, one channel message at a time, and hands each message's contents on together:
   * what a peer sent in one burst (a run of block requests) reaches its handlers in one go, so a block server sees
   * them queued side by side. A frame of an epoch whose key has not arrived stops the opening until `flushPending`
   * (the frames behind it wait too: the key comes in a message before them).
   */
  async #receive(peer: string, state: PeerState): Promise<void> {
    while (state.inbox.length > 0 && !state.waiting && this.#peers.get(peer) === state) {
      const frames = state.inbox[0] as Uint8Array[];
      const opened: Uint8Array[] = [];
      while (frames.length > 0) {
        const result = await this.#options.keys.open(peer, frames[0] as Uint8Array);
        if (result.ok === 'later') {
          state.waiting = true;
          break;
        }
        frames.shift();
        state.queued--;
        if (!result.ok) this.emit('dropped', peer, result.reason);
        else opened.push(result.data);
      }
      if (frames.length === 0) state.inbox.shift();
      for (const data of opened) {
        if (this.#peers.get(peer) !== state) return;
        try {
          this.emit('message', peer, data);
        } catch (error) {
          this.emit('dropped', peer, `handler-error: ${String((error as Error)?.message ?? error)}`);
        }
      }
    }
  }

  #closed(peer: string, state: PeerState): void {
    if (this.#peers.get(peer) !== state) return;
    this.#peers.delete(peer);
    state.outbox.close();
    this.#options.keys.forget(peer);
    if (state.up) this.emit('peer.down', peer);
  }
}
