/** The mesh: one sealed channel per peer (≤ 4) plus its lanes for bulk, fan-out, sealed signaling; a bad frame is dropped and reported. */
import { Emitter } from '../events.ts';
import type { MeshKeys } from './mesh-keys.ts';
import type { Timers } from '../ports.ts';
import { Outbox, OUTBOX_LOW, type StallReason } from './outbox.ts';
import { Inlet } from './inlet.ts';
import { LANE_ENVELOPE_TYPE, PairLanes, type LaneEvent, type LanePolicy } from './lanes.ts';
import { isLaneNotice } from './lane-notice.ts';
import type { ChannelStats, PeerChannel, Transport } from './transport.ts';
import type { Parts } from '../crypto/parts.ts';

/** Envelope `type` for WebRTC signaling data. One type for offers, answers and candidates: the server learns less. */
export const RTC_ENVELOPE_TYPE = 'rtc';

/** Without a lane policy a mesh opens and takes no lane (a member from before lanes). */
const NO_LANES: LanePolicy = { accept: false, peerAccepts: () => false, laneable: () => false };

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
  /**
   * One lane of the pair with `peer` (lanes.ts): `out-<n>` opened here, `in-<n>` by the peer; `detail`: why it ended.
   * `lost` on an `in-<n>` lane comes once the peer sends nothing more on it: what it carried and did not deliver is to
   * be asked again (core/transfer/remote-blocks.ts `laneLost`). Toward a peer that does not mend (no `lane-loss`) the
   * pair went down just before (`peer.down`), as it did before that feature.
   */
  lane: [peer: string, lane: string, what: LaneEvent, detail?: string];
};

interface PeerState {
  channel: PeerChannel;
  up: boolean;
  outbox: Outbox;
  inlet: Inlet;
  /** Extra peer connections for block pieces (lanes.ts); lane 0 is `channel`. */
  lanes: PairLanes;
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
  /** Who gets and takes lanes (lanes.ts); absent: none. */
  lanes?: LanePolicy;
}

/** A full mesh seen from one member. Order per peer is kept both ways: sealing and opening run one at a time. */
export class Mesh extends Emitter<MeshEvents> {
  readonly #options: MeshOptions;
  readonly #peers = new Map<string, PeerState>();
  #roomWaiters: (() => void)[] = [];
  /** Bytes of channel messages received per lane (`0`, `in-<n>`), all peers together, since the start: tests and benchmarks. */
  readonly received: Record<string, number> = {};
  /** Lanes lost after they connected (`lane` events `lost`), all peers together, since the start. */
  lanesLost = 0;
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
    const o = this.#options;
    const state = { up: false } as PeerState;
    this.#peers.set(peer, state);
    const signal = (type: string) => (data: string) => void o.keys.sealSignal(peer, type, data).then((body) => o.sendSignal(peer, body));
    const stalled = (reason: StallReason) => {
      this.disconnect(peer);
      this.emit('peer.stalled', peer, reason);
    };
    const alive = () => this.#peers.get(peer) === state;
    state.inlet = new Inlet({
      open: (frame) => o.keys.open(peer, frame),
      // Lane notices are the mesh's own, read in order with the messages around them (lanes.ts `notice`).
      deliver: (data) => (isLaneNotice(data) ? state.lanes.notice(data) : this.emit('message', peer, data)),
      drop: (reason) => this.emit('dropped', peer, reason),
      alive,
    });
    state.channel = o.transport.open({
      peer,
      initiator,
      handlers: {
        onSignal: signal(RTC_ENVELOPE_TYPE),
        onConnect: () => {
          state.up = true;
          this.emit('peer.up', peer);
        },
        onData: (message) => {
          this.#count('0', message.length);
          state.inlet.arrived(message);
        },
        onClose: () => this.#closed(peer, state),
      },
    });
    state.outbox = new Outbox({
      channel: state.channel,
      seal: (data) => o.keys.seal(peer, data),
      timers: o.timers,
      onStall: stalled,
      onError: () => this.emit('dropped', peer, 'send-failed'),
      onShrink: () => this.#checkRoom(),
    });
    state.lanes = new PairLanes({
      self: o.self, peer, transport: o.transport, keys: o.keys, timers: o.timers, policy: o.lanes ?? NO_LANES,
      first: { channel: state.channel, outbox: state.outbox },
      sendSignal: signal(LANE_ENVELOPE_TYPE),
      // A lost lane toward a peer that does not mend takes the pair down, as lane 0 would: what it held is reported lost.
      down: (reason) => (alive() ? (reason ? stalled(reason) : this.disconnect(peer)) : undefined),
      notify: (data) => void (alive() && state.outbox.send(data)),
      deliver: (data) => this.emit('message', peer, data),
      drop: (reason) => this.emit('dropped', peer, reason),
      onShrink: () => this.#checkRoom(),
      received: (lane, bytes) => this.#count(lane, bytes),
      report: (lane, what, detail) => {
        if (what === 'lost') this.lanesLost++;
        this.emit('lane', peer, lane, what, detail);
      },
    });
  }

  /** A signaling envelope from `peer`: opened with the pair's key, then fed to its channel. Bad ones are dropped. */
  async receiveSignal(from: string, body: string): Promise<void> {
    const state = this.#peers.get(from);
    if (!state) return this.emit('dropped', from, 'unknown-peer');
    const opened = await this.#options.keys.openSignal(from, body);
    if (!opened.ok) return this.emit('dropped', from, `envelope-${opened.reason}`);
    if (opened.type === LANE_ENVELOPE_TYPE) return state.up ? state.lanes.signal(opened.body) : this.emit('dropped', from, 'lane-before-channel');
    if (opened.type !== RTC_ENVELOPE_TYPE) return this.emit('dropped', from, 'envelope-type');
    state.channel.signal(opened.body);
  }

  /**
   * Sends to one peer, sealed now under the current epoch (a rotation right after must not re-key a message already
   * sent), written in call order. Resolves once in the channel and the channel has room (the sender's backpressure),
   * or once the peer is gone; never waits for another peer. `anyLane`: a message whose order does not matter (a block
   * piece) may go on any lane of the pair, the one with the least waiting; it may then arrive before or after anything
   * sent around it. Everything else goes on lane 0, in call order. `data` may be in parts (a block piece's header and
   * its block's bytes): they are joined only for sealing, read when it starts.
   */
  send(peer: string, data: Parts, options?: { anyLane?: boolean }): Promise<void> {
    const state = this.#peers.get(peer);
    if (!state?.up || this.#hushed) return Promise.resolve();
    return (options?.anyLane ? state.lanes.pick() : state.outbox).send(data).done;
  }

  /** What waits for `peer` on all its lanes: in their outboxes (`queued`) and in their channels' buffers (`buffered`), in bytes. */
  held(peer: string): { queued: number; buffered: number } {
    const state = this.#peers.get(peer);
    const outboxes = state?.lanes.outboxes ?? [];
    return { queued: outboxes.reduce((n, o) => n + o.queued, 0), buffered: state?.up ? outboxes.reduce((n, o) => n + o.buffered, 0) : 0 };
  }

  /**
   * Resolves once every peer's outbox is at most OUTBOX_LOW: what a producer of many frames (a blob's parts) waits for
   * before the next. A peer that does not drain is dropped at STALL_MS, so this wait ends.
   */
  room(): Promise<void> {
    if (this.#hasRoom()) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  /** The data channels' own byte counters per connected peer, its lanes included (empty where the transport has none). */
  async stats(): Promise<Record<string, ChannelStats>> {
    const out: Record<string, ChannelStats> = {};
    for (const [peer, lanes] of Object.entries(await this.laneStats())) {
      out[peer] = Object.values(lanes).reduce((s, c) => ({ bytesSent: s.bytesSent + c.bytesSent, bytesReceived: s.bytesReceived + c.bytesReceived }));
    }
    return out;
  }

  /** The same per lane: `0` (the first channel), `out-<n>` (lanes opened here), `in-<n>` (opened by the peer). */
  async laneStats(): Promise<Record<string, Record<string, ChannelStats>>> {
    const out: Record<string, Record<string, ChannelStats>> = {};
    if (this.#hushed) return out;
    for (const [peer, state] of this.#peers) {
      const stats = state.up ? await state.channel.stats?.().catch(() => undefined) : undefined;
      if (stats) out[peer] = { 0: stats, ...(await state.lanes.stats()) };
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

  /** The peer's profile came (it may now be known to take lanes): forced lanes open now, before the first piece. */
  considerLanes(peer: string): void {
    const state = this.#peers.get(peer);
    if (state?.up && !this.#hushed) state.lanes.consider();
  }

  /** Opens frames that waited for an epoch's key (call after `keys.adopt`). */
  flushPending(): void {
    for (const state of this.#peers.values()) {
      state.inlet.flush();
      state.lanes.flushPending();
    }
  }

  /** Closes the channel to a peer that left and forgets its keys; `flush` first hands over what is already sealed. */
  disconnect(peer: string, flush = false): void {
    const state = this.#peers.get(peer);
    if (!state) return;
    if (flush) state.outbox.flush();
    this.#peers.delete(peer);
    state.outbox.close();
    state.lanes.close();
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
    for (const state of this.#peers.values()) state.lanes.hush();
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

  #count(lane: string, bytes: number): void {
    this.received[lane] = (this.received[lane] ?? 0) + bytes;
  }

  #hasRoom(): boolean {
    return [...this.#peers.values()].every((state) => state.lanes.outboxes.every((outbox) => outbox.queued <= OUTBOX_LOW));
  }

  #checkRoom(): void {
    if (this.#roomWaiters.length === 0 || !this.#hasRoom()) return;
    for (const resolve of this.#roomWaiters.splice(0)) resolve();
  }

  #closed(peer: string, state: PeerState): void {
    if (this.#peers.get(peer) !== state) return;
    this.#peers.delete(peer);
    state.outbox.close();
    state.lanes.close();
    this.#options.keys.forget(peer);
    if (state.up) this.emit('peer.down', peer);
  }
}
