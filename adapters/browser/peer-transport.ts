/** The browser's mesh Transport: simple-peer over the browser's own RTCPeerConnection (never node-datachannel). */
import Peer from '@thaunknown/simple-peer/lite.js';
import type { IceServer } from '../../core/protocol/signal-messages.ts';
import type { ChannelStats, Transport } from '../../core/mesh/transport.ts';

/** simple-peer's own RTCPeerConnection and data channel (fields of the lite build; no public accessor). */
interface PeerInternals {
  _pc?: RTCPeerConnection;
  _channel?: RTCDataChannel;
}

/** Sums the `data-channel` reports: what the channels themselves sent and received (sealed frames, headers included). */
async function channelStats(pc: RTCPeerConnection | undefined): Promise<ChannelStats> {
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
export interface PeerTransportOptions {
  iceServers: IceServer[];
  /** 'relay' sends everything through TURN; 'all' (default) prefers direct paths. */
  iceTransportPolicy?: RTCIceTransportPolicy;
}

/** One simple-peer per peer; signaling data is JSON text the mesh seals before it reaches the server. */
export function peerTransport(options: PeerTransportOptions): Transport {
  return {
    open({ initiator, handlers }) {
      const peer = new Peer({
        initiator,
        trickle: true,
        config: { iceServers: options.iceServers, iceTransportPolicy: options.iceTransportPolicy ?? 'all' },
      });
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
      // The fork emits 'close' only for a local destroy(): a remote close tears the peer down but only says
      // 'disconnect' (lite.js `_destroy`). Without this a member that quits (a CLI member's Ctrl-C) would stay listed.
      peer.on('disconnect', () => close());
      peer.on('error', (error: Error) => close(error));
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
        bufferedAmount: () => (peer as unknown as PeerInternals)._channel?.bufferedAmount ?? 0,
        drained: (bytes) => {
          const channel = (peer as unknown as PeerInternals)._channel;
          if (!channel || closed || channel.bufferedAmount <= bytes) return Promise.resolve();
          return new Promise<void>((resolve) => {
            const done = () => {
              channel.removeEventListener('bufferedamountlow', done);
              channel.removeEventListener('close', done);
              resolve();
            };
            channel.bufferedAmountLowThreshold = bytes;
            channel.addEventListener('bufferedamountlow', done);
            channel.addEventListener('close', done);
          });
        },
        stats: () => channelStats((peer as unknown as PeerInternals)._pc),
      };
    },
  };
}
