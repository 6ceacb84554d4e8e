/** Node's mesh Transport: the browser's simple-peer fork over @roamhq/wrtc's RTCPeerConnection, binary messages. */
import Peer from './simple-peer-node.ts';
import type { IceServer } from '../../core/protocol/signal-messages.ts';
import type { ChannelStats, Transport } from '../../core/mesh/transport.ts';

/** simple-peer's own RTCPeerConnection and data channel (fields of the lite build; no public accessor). */
interface PeerInternals {
  _pc?: RTCPeerConnection | null;
  _channel?: RTCDataChannel | null;
}

/**
 * How often `drained` looks at `bufferedAmount`. @roamhq/wrtc never fires `bufferedamountlow` (and leaves
 * `bufferedAmountLowThreshold` undefined), so waiting for the event, as the browser does, would wait forever:
 * polling is the only signal there is. At ~100 MB/s, 2 ms is ~200 KB, well inside BUFFER_LOW (core/mesh/outbox.ts).
 */
const POLL_MS = 2;

/** Sums the `data-channel` reports: what the channels themselves sent and received (sealed frames, headers included). */
async function channelStats(pc: RTCPeerConnection | null | undefined): Promise<ChannelStats> {
  const out = { bytesSent: 0, bytesReceived: 0 };
  if (!pc) return out;
  (await pc.getStats()).forEach((report: { type: string; bytesSent?: number; bytesReceived?: number }) => {
    if (report.type !== 'data-channel') return;
    out.bytesSent += report.bytesSent ?? 0;
    out.bytesReceived += report.bytesReceived ?? 0;
  });
  return out;
}

/** Options: the ICE servers from the signaling welcome, and whether to force TURN (hides addresses from peers). */
export interface NodePeerTransportOptions {
  iceServers: IceServer[];
  /** 'relay' sends everything through TURN; 'all' (default) prefers direct paths. */
  iceTransportPolicy?: RTCIceTransportPolicy;
}

/** One simple-peer per peer; signaling data is JSON text the mesh seals before it reaches the server. */
export function nodePeerTransport(options: NodePeerTransportOptions): Transport {
  return {
    open({ initiator, handlers }) {
      const peer = new Peer({
        initiator,
        trickle: true,
        // Ordered and reliable (no maxRetransmits / maxPacketLifeTime): the mesh's frames are sealed in sequence.
        channelConfig: { ordered: true },
        config: { iceServers: options.iceServers, iceTransportPolicy: options.iceTransportPolicy ?? 'all' },
      });
      const internals = peer as unknown as PeerInternals;
      let closed = false;
      const close = (error?: Error) => {
        if (closed) return;
        closed = true;
        handlers.onClose(error);
      };
      peer.on('signal', (data: unknown) => handlers.onSignal(JSON.stringify(data)));
      peer.on('connect', () => handlers.onConnect());
      peer.on('data', (data: Uint8Array) => handlers.onData(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
      peer.on('close', () => close());
      // The fork emits 'close' only for a local destroy(): when the remote side closes, its channel's close event
      // tears the peer down but only 'disconnect' comes out (lite.js `_destroy`). Without this the mesh would never
      // hear that a peer went away.
      peer.on('disconnect', () => close());
      peer.on('error', (error: Error) => close(error));
      const buffered = () => internals._channel?.bufferedAmount ?? 0;
      return {
        signal: (data) => {
          try {
            if (!closed) peer.signal(JSON.parse(data) as object);
          } catch (error) {
            close(error as Error);
          }
        },
        send: (data) => {
          if (!closed) peer.send(data);
        },
        close: () => {
          peer.destroy();
          close();
        },
        bufferedAmount: buffered,
        drained: (bytes) =>
          new Promise<void>((resolve) => {
            const look = () => {
              if (closed || internals._channel?.readyState !== 'open' || buffered() <= bytes) resolve();
              else setTimeout(look, POLL_MS);
            };
            look();
          }),
        stats: () => channelStats(internals._pc),
      };
    },
  };
}
