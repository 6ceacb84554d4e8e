/** The browser's mesh Transport: simple-peer over the browser's own RTCPeerConnection (never node-datachannel). */
import Peer from '@thaunknown/simple-peer/lite.js';
import type { IceServer } from '../../core/protocol/signal-messages.ts';
import type { Transport } from '../../core/mesh/transport.ts';

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
      };
    },
  };
}
