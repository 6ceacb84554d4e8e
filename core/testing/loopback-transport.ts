/** A loopback Transport for tests: members' channels connected in memory (several per pair: lanes), with a tap to record or forge frames. */
import type { PeerChannel, PeerChannelHandlers, Transport } from '../mesh/transport.ts';

/** A microtask without the DOM/Node typings core lacks: a resolved promise's reaction runs after the current job. */
const queueMicrotask = (fn: () => void): void => void Promise.resolve().then(fn);

interface Endpoint {
  self: string;
  handlers: PeerChannelHandlers;
  initiator: boolean;
  /** The connection it belongs to: the initiator's from `open`, the answerer's from the offer it was fed. */
  link: Link | null;
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

/** One connection between two members (one RTCPeerConnection): `id` is unique in the network, in creation order. */
interface Link {
  id: number;
  pair: string;
  ends: Map<string, Endpoint>;
}

const pairOf = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** A frame waiting in its sender's queue. */
interface Parked {
  to: string;
  link: number;
  deliver: () => void;
}

/**
 * The network all loopback transports share. `transportFor(id)` is one member's Transport. Signaling data is
 * `"offer:<from>:<link>"` / `"answer:<from>:<link>"`: tests see it travel sealed through their own signaling relay.
 * Delivery is asynchronous (microtasks) and ordered per connection and direction, like an ordered RTCDataChannel.
 */
export class LoopbackNetwork {
  /** Live connections per pair, in creation order (the first is the mesh's lane 0). */
  readonly #links = new Map<string, Link[]>();
  #nextLink = 1;
  /** Sees every data frame; return the frame to deliver (changed or not), or null to drop it. */
  tap: (from: string, to: string, frame: Uint8Array, link: number) => Uint8Array | null = (_f, _t, frame) => frame;
  /** Every frame delivered, in order, as [from, to, frame, link id]. */
  readonly delivered: [string, string, Uint8Array, number][] = [];
  /** What every channel's `roundTripMs` says (a WAN-like path for the lanes' adaptivity); 0: loopback. */
  roundTripMs = 0;
  /** The most bytes ever queued in one direction at once (backpressure tests). */
  maxBuffered = 0;
  /** While true, frames wait in the sender's queue (bufferedAmount grows) until `resume()`. */
  #paused = false;
  /** Members that stopped reading: frames to them wait in their senders' queues until `resumeReading`. */
  readonly #deaf = new Set<string>();
  /** Connections (link ids) no longer read at their far end: one lane of a pair stalling while the others flow. */
  readonly #deafLinks = new Set<number>();
  #parked: Parked[] = [];
  /** Connections cut at one end only (closeEnd): each end closes on its own, the connection goes once both did. */
  readonly #severed = new Set<number>();

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

  /** Frames on connection `link` stay in their sender's queue (both ways), as one lane whose path went silent. */
  stopReadingLink(link: number): void {
    this.#deafLinks.add(link);
  }

  #unpark(): void {
    const keep: Parked[] = [];
    for (const p of this.#parked) {
      if (this.#paused || this.#deaf.has(p.to) || this.#deafLinks.has(p.link)) keep.push(p);
      else queueMicrotask(p.deliver);
    }
    this.#parked = keep;
  }

  transportFor(self: string): Transport {
    return { open: ({ peer, initiator, handlers }) => this.#open(self, peer, initiator, handlers) };
  }

  /** The live connections between `a` and `b`, by id, in creation order (the mesh's lane 0 first, then its lanes). */
  links(a: string, b: string): number[] {
    return (this.#links.get(pairOf(a, b)) ?? []).map((l) => l.id);
  }

  /** Injects a raw frame as if `from` had sent it to `to` on connection `link` (default: their first; forgery and replay tests). */
  inject(from: string, to: string, frame: Uint8Array, link?: number): void {
    const links = this.#links.get(pairOf(from, to)) ?? [];
    const target = (link === undefined ? links[0] : links.find((l) => l.id === link))?.ends.get(to);
    if (target?.open) queueMicrotask(() => target.handlers.onData(frame));
  }

  /** Cuts the pair as a network failure would, every connection between them (or only `link`): both sides see onClose. */
  cut(a: string, b: string, link?: number): void {
    for (const l of [...(this.#links.get(pairOf(a, b)) ?? [])]) if (link === undefined || l.id === link) this.#closeLink(l);
  }

  /**
   * Closes only `member`'s end of connection `link`, as a failure one side sees long before the other (ICE consent,
   * a starved event loop): the far end stays open, what it sends there goes nowhere, and closing it later closes only it.
   */
  closeEnd(member: string, link: number): void {
    this.#severed.add(link);
    for (const links of this.#links.values()) {
      const end = links.find((l) => l.id === link)?.ends.get(member);
      if (end) this.#closeEnd(end);
    }
  }

  #open(self: string, peer: string, initiator: boolean, handlers: PeerChannelHandlers): PeerChannel {
    const endpoint: Endpoint = { self, handlers, initiator, link: null, offered: false, answered: false, open: false, closed: false, buffered: 0, bytesSent: 0, bytesReceived: 0, drainWaiters: [] };
    if (initiator) {
      const link: Link = { id: this.#nextLink++, pair: pairOf(self, peer), ends: new Map([[self, endpoint]]) };
      endpoint.link = link;
      this.#links.set(link.pair, [...(this.#links.get(link.pair) ?? []), link]);
      queueMicrotask(() => handlers.onSignal(`offer:${self}:${link.id}`));
    }
    return {
      signal: (data) => {
        if (endpoint.closed) return;
        const [kind, from, id] = data.split(':');
        const link = (this.#links.get(pairOf(self, peer)) ?? []).find((l) => l.id === Number(id));
        if (from !== peer || !link) return;
        if (kind === 'offer' && !endpoint.initiator && !endpoint.link && link.ends.get(peer)?.initiator && !link.ends.has(self)) {
          endpoint.offered = true;
          endpoint.link = link;
          link.ends.set(self, endpoint);
          queueMicrotask(() => handlers.onSignal(`answer:${self}:${link.id}`));
          this.#maybeOpen(link);
        } else if (kind === 'answer' && endpoint.initiator && endpoint.link === link) {
          endpoint.answered = true;
          this.#maybeOpen(link);
        }
      },
      send: (data) => {
        const link = endpoint.link;
        const remote = link?.ends.get(peer);
        if (!link || !endpoint.open || !remote?.open) return;
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
          const frame = this.tap(self, peer, copy, link.id);
          if (frame === null || remote.closed) return;
          remote.bytesReceived += frame.length;
          this.delivered.push([self, peer, frame, link.id]);
          remote.handlers.onData(frame);
        };
        if (this.#paused || this.#deaf.has(peer) || this.#deafLinks.has(link.id)) this.#parked.push({ to: peer, link: link.id, deliver });
        else queueMicrotask(deliver);
      },
      bufferedAmount: () => endpoint.buffered,
      drained: (below) =>
        endpoint.buffered <= below || endpoint.closed ? Promise.resolve() : new Promise<void>((resolve) => endpoint.drainWaiters.push({ below, resolve })),
      stats: async () => ({ bytesSent: endpoint.bytesSent, bytesReceived: endpoint.bytesReceived }),
      roundTripMs: async () => this.roundTripMs,
      close: () => {
        const link = endpoint.link;
        if (!link) return this.#closeEnd(endpoint);
        if (!this.#severed.has(link.id)) return this.#closeLink(link);
        this.#closeEnd(endpoint);
        if ([...link.ends.values()].every((e) => e.closed)) this.#closeLink(link);
      },
    };
  }

  #maybeOpen(link: Link): void {
    const [a, b] = [...link.ends.values()];
    if (!a || !b || a.open || a.closed || b.closed) return;
    const [init, resp] = a.initiator ? [a, b] : [b, a];
    if (!resp.offered || !init.answered) return;
    a.open = b.open = true;
    queueMicrotask(() => {
      a.handlers.onConnect();
      b.handlers.onConnect();
    });
  }

  #closeLink(link: Link): void {
    const links = this.#links.get(link.pair) ?? [];
    if (links.includes(link)) this.#links.set(link.pair, links.filter((l) => l !== link));
    for (const end of link.ends.values()) this.#closeEnd(end);
  }

  #closeEnd(endpoint: Endpoint): void {
    if (endpoint.closed) return;
    endpoint.closed = true;
    endpoint.open = false;
    for (const w of endpoint.drainWaiters.splice(0)) w.resolve();
    queueMicrotask(() => endpoint.handlers.onClose());
  }
}
