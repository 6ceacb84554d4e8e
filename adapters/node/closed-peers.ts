/**
 * Keeps @roamhq/wrtc's closed peer connections and their data channels reachable for a while, so that the garbage
 * collector finalizes a connection before its channels, never after.
 *
 * Why: @roamhq/wrtc's native RTCPeerConnection keeps counted references to its RTCDataChannels and releases them in
 * its destructor (napi_reference_unref in ~RTCPeerConnection). When both become unreachable together, their finalizers
 * run in any order; a channel finalized first leaves the connection's finalizer releasing freed memory: SIGSEGV (seen
 * as Node tore its environment down, cli/process-entry.ts; feared during a run after lanes or members closed). Here a
 * closed connection's channels stay reachable until the connection itself has been collected, plus a moment for its
 * native finalizer, which Node may defer to a later tick.
 *
 * Bounded: the connection is let go `quietMs` after its close (time for callbacks the native side had already queued,
 * a late `datachannel` among them, to run), and its channels `afterCollectMs` after the collector took it. Measured
 * here (scratch stress, 200 connections): a closed connection kept reachable costs ~155 KB of RSS more than one let
 * go at once, and wrtc's own native remains cost ~370 KB either way; so a continuous member opening and closing lanes
 * holds a few closed connections at a time, not one per lane it ever opened.
 */

/** A closed connection: the connection until `quietMs` has passed, its channels until it has been collected. */
interface Held {
  pc: object | null;
  channels: object[];
}

export interface ClosedPeerKeeper {
  /** Keeps a connection that has just been closed and the channels it had. */
  keep(pc: object, channels: readonly object[]): void;
  /** Closed connections whose channels are still held (the connection itself maybe already let go). */
  readonly held: number;
}

/** The native object under wrtc's JavaScript RTCPeerConnection (lib/peerconnection.js `_pc`): the one with the finalizer. */
function nativeOf(pc: object): object {
  const inner = (pc as { _pc?: unknown })._pc;
  return typeof inner === 'object' && inner !== null ? inner : pc;
}

/** Handlers a channel may still hold, each a closure over simple-peer's instance: cleared so nothing more runs on it. */
const CHANNEL_HANDLERS = ['onmessage', 'onopen', 'onclose', 'onerror', 'onbufferedamountlow'] as const;

export function closedPeerKeeper(options: { quietMs: number; afterCollectMs: number }): ClosedPeerKeeper {
  const held = new Set<Held>();
  // Fires after the collector took a connection's native object; its channels go a moment later, when the
  // connection's own finalizer has surely run.
  const collected = new FinalizationRegistry<Held>((entry) => {
    setTimeout(() => held.delete(entry), options.afterCollectMs).unref();
  });
  return {
    keep(pc, channels) {
      const entry: Held = { pc, channels: [...channels] };
      held.add(entry);
      setTimeout(() => {
        if (!entry.pc) return;
        for (const channel of entry.channels) {
          for (const handler of CHANNEL_HANDLERS) (channel as Record<string, unknown>)[handler] = null;
        }
        collected.register(nativeOf(entry.pc), entry);
        entry.pc = null;
      }, options.quietMs).unref();
    },
    get held() {
      return held.size;
    },
  };
}

/** The Node member's keeper (adapters/node/peer-transport.ts). */
export const closedPeers = closedPeerKeeper({ quietMs: 10_000, afterCollectMs: 1_000 });
