/** A loopback Transport for tests: members' channels connected in memory, with a tap to record or forge frames. */
import type { PeerChannel, PeerChannelHandlers, Transport } from '../mesh/transport.ts';

/** A microtask without the DOM/Node typings core lacks: a resolved promise's reaction runs after the current job. */
const queueMicrotask = (fn: () => void): void => void Promise.resolve().then(fn);

interface Endpoint {
  handlers: PeerChannelHandlers;
  initiator: boolean;
  offered: boolean;
  answered: boolean;
  open: boolean;
  closed: boolean;
  /** Bytes sent and not yet delivered (the RTCDataChannel's bufferedAmount). */
  buffered: number;
  bytesSent: number;
  bytesReceived: number;
  drainWaiters: { below: number; resolve: () => void }[];
}

/** A frame waiting in its sender's queue. */
interface Parked {
  to: string;
  deliver: () => void;
}

/**
 * The network all loopback transports share. `transportFor(id)` is one member's Transport. Signaling data is
 * `"offer:<from>"` / `"answer:<from>"`: tests see it travel sealed through their own signaling relay. Delivery is
 * asynchronous (microtasks) and ordered per direction, like an ordered RTCDataChannel.
 */
export class LoopbackNetwork {
  readonly #endpoints = new Map<string, Endpoint>();
  /** Sees every data frame; return the frame to deliver (changed or not), or null to drop it. */
  tap: (from: string, to: string, frame: Uint8Array) => Uint8Array | null = (_f, _t, frame) => frame;
  /** Every frame delivered, in order, as [from, to, frame]. */
  readonly delivered: [string, string, Uint8Array][] = [];
  /** The most bytes ever queued in one direction at once (backpressure tests). */
  maxBuffered = 0;
  /** While true, frames wait in the sender's queue (bufferedAmount grows) until `resume()`. */
  #paused = false;
  /** Members that stopped reading: frames to them wait in their senders' queues until `resumeReading`. */
  readonly #deaf = new Set<string>();
  #parked: Parked[] = [];

  /** Holds every frame in its sender's queue, as a slow network would. */
  pause(): void {
    this.#paused = true;
  }

  /** Delivers what was held and goes on delivering. */
  resume(): void {
    this.#paused = false;
    this.#unpark();
  }

  /** `reader` stops reading: frames sent to it stay in their senders' queues, as a peer that never drains its socket. */
  stopReading(reader: string): void {
    this.#deaf.add(reader);
  }

  /** `reader` reads again: what waited for it is delivered, in order. */
  resumeReading(reader: string): void {
    this.#deaf.delete(reader);
    this.#unpark();
  }

  #unpark(): void {
    const keep: Parked[] = [];
    for (const p of this.#parked) {
      if (this.#paused || this.#deaf.has(p.to)) keep.push(p);
      else queueMicrotask(p.deliver);
    }
    this.#parked = keep;
  }

  transportFor(self: string): Transport {
    return { open: ({ peer, initiator, handlers }) => this.#open(self, peer, initiator, handlers) };
  }

  /** Injects a raw frame as if `from` had sent it to `to` (for forgery and replay tests). */
  inject(from: string, to: string, frame: Uint8Array): void {
    const target = this.#endpoints.get(`${to}>${from}`);
    if (target?.open) queueMicrotask(() => target.handlers.onData(frame));
  }

  /** Cuts the pair as a network failure would: both sides see onClose. */
  cut(a: string, b: string): void {
    for (const key of [`${a}>${b}`, `${b}>${a}`]) this.#close(key);
  }

  #open(self: string, peer: string, initiator: boolean, handlers: PeerChannelHandlers): PeerChannel {
    const key = `${self}>${peer}`;
    const endpoint: Endpoint = { handlers, initiator, offered: false, answered: false, open: false, closed: false, buffered: 0, bytesSent: 0, bytesReceived: 0, drainWaiters: [] };
    this.#endpoints.set(key, endpoint);
    if (initiator) queueMicrotask(() => handlers.onSignal(`offer:${self}`));
    return {
      signal: (data) => {
        if (endpoint.closed) return;
        if (data === `offer:${peer}` && !endpoint.initiator) {
          endpoint.offered = true;
          queueMicrotask(() => handlers.onSignal(`answer:${self}`));
          this.#maybeOpen(self, peer);
        } else if (data === `answer:${peer}` && endpoint.initiator) {
          endpoint.answered = true;
          this.#maybeOpen(self, peer);
        }
      },
      send: (data) => {
        const remote = this.#endpoints.get(`${peer}>${self}`);
        if (!endpoint.open || !remote?.open) return;
        const copy = new Uint8Array(data);
        endpoint.buffered += copy.length;
        endpoint.bytesSent += copy.length;
        this.maxBuffered = Math.max(this.maxBuffered, endpoint.buffered);
        const deliver = () => {
          endpoint.buffered -= copy.length;
          for (const w of endpoint.drainWaiters.filter((w) => endpoint.buffered <= w.below)) {
            endpoint.drainWaiters.splice(endpoint.drainWaiters.indexOf(w), 1);
            w.resolve();
          }
          const frame = this.tap(self, peer, copy);
          if (frame === null || remote.closed) return;
          remote.bytesReceived += frame.length;
          this.delivered.push([self, peer, frame]);
          remote.handlers.onData(frame);
        };
        if (this.#paused || this.#deaf.has(peer)) this.#parked.push({ to: peer, deliver });
        else queueMicrotask(deliver);
      },
      bufferedAmount: () => endpoint.buffered,
      drained: (below) =>
        endpoint.buffered <= below || endpoint.closed ? Promise.resolve() : new Promise<void>((resolve) => endpoint.drainWaiters.push({ below, resolve })),
      stats: async () => ({ bytesSent: endpoint.bytesSent, bytesReceived: endpoint.bytesReceived }),
      close: () => {
        this.#close(key);
        this.#close(`${peer}>${self}`);
      },
    };
  }

  #maybeOpen(a: string, b: string): void {
    const ab = this.#endpoints.get(`${a}>${b}`);
    const ba = this.#endpoints.get(`${b}>${a}`);
    if (!ab || !ba || ab.open || ab.closed || ba.closed) return;
    const [init, resp] = ab.initiator ? [ab, ba] : [ba, ab];
    if (!resp.offered || !init.answered) return;
    ab.open = ba.open = true;
    queueMicrotask(() => {
      ab.handlers.onConnect();
      ba.handlers.onConnect();
    });
  }

  #close(key: string): void {
    const endpoint = this.#endpoints.get(key);
    if (!endpoint || endpoint.closed) return;
    endpoint.closed = true;
    endpoint.open = false;
    for (const w of endpoint.drainWaiters.splice(0)) w.resolve();
    this.#endpoints.delete(key);
    queueMicrotask(() => endpoint.handlers.onClose());
  }
}
