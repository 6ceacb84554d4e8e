/**
 * The mesh Transport over the simple-peer fork, shared by the browser and the Node member: they differ only in the
 * RTCPeerConnection under it, the channel options and how to wait for the channel to drain.
 */
import type { IceServer } from '../../core/protocol/signal-messages.ts';
import type { ChannelStats, Transport } from '../../core/mesh/transport.ts';

/** The part of a simple-peer instance the transport uses (the lite build; the package ships no types). */
export interface SimplePeer {
  signal(data: object): void;
  send(data: Uint8Array): void;
  destroy(error?: Error): void;
  on(event: 'signal', handler: (data: unknown) => void): unknown;
  on(event: 'connect' | 'close' | 'disconnect', handler: () => void): unknown;
  on(event: 'data', handler: (data: Uint8Array) => void): unknown;
  on(event: 'error', handler: (error: Error) => void): unknown;
}

/** simple-peer's own RTCPeerConnection and data channel (fields of the lite build; no public accessor). */
interface PeerInternals {
  _pc?: RTCPeerConnection | null;
  _channel?: RTCDataChannel | null;
}

/** Waits until `channel` holds at most `bytes`, or is gone, or the transport closed (`closed()`). */
export type WaitForDrain = (channel: RTCDataChannel | null | undefined, bytes: number, closed: () => boolean) => Promise<void>;

/** Options: the ICE servers from the signaling welcome, and whether to force TURN (hides addresses from peers). */
export interface PeerTransportOptions {
  iceServers: IceServer[];
  /** 'relay' sends everything through TURN; 'all' (default) prefers direct paths. */
  iceTransportPolicy?: RTCIceTransportPolicy;
}

/** What a platform gives: its simple-peer, its data channel options, its way of waiting for the buffer. */
export interface SimplePeerPlatform {
  createPeer(options: { initiator: boolean; trickle: boolean; config: RTCConfiguration; channelConfig?: RTCDataChannelInit }): SimplePeer;
  channelConfig?: RTCDataChannelInit;
  waitForDrain: WaitForDrain;
  /** The data channel copies a message before `send` returns (core/mesh/transport.ts `sendCopies`). */
  sendCopies?: boolean;
}

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

/**
 * The round trip of the selected ICE candidate pair, in ms (`currentRoundTripTime`, from STUN consent checks): the
 * transport report's selected pair, else the nominated succeeded one. Undefined before one is measured.
 */
async function roundTripMs(pc: RTCPeerConnection | null | undefined): Promise<number | undefined> {
  if (!pc) return undefined;
  const reports = new Map<string, { type: string; selectedCandidatePairId?: string; nominated?: boolean; state?: string; currentRoundTripTime?: number }>();
  (await pc.getStats()).forEach((report: { id: string; type: string }) => reports.set(report.id, report));
  const selected = [...reports.values()].find((r) => r.type === 'transport' && r.selectedCandidatePairId)?.selectedCandidatePairId;
  const pair = (selected ? reports.get(selected) : undefined) ?? [...reports.values()].find((r) => r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded');
  return pair?.currentRoundTripTime === undefined ? undefined : pair.currentRoundTripTime * 1000;
}

/**
 * One simple-peer per connection (a pair's first and each of its lanes, core/mesh/lanes.ts: the same ICE servers and
 * policy, so a relay-only member's lanes go through TURN too); signaling data is JSON text the mesh seals before it reaches the server. */
export function simplePeerTransport(platform: SimplePeerPlatform, options: PeerTransportOptions): Transport {
  return {
    open({ initiator, handlers }) {
      const peer = platform.createPeer({
        initiator,
        trickle: true,
        config: { iceServers: options.iceServers, iceTransportPolicy: options.iceTransportPolicy ?? 'all' },
        ...(platform.channelConfig ? { channelConfig: platform.channelConfig } : {}),
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
      // tears the peer down but only 'disconnect' comes out (lite.js `_destroy`). Without this a member that quits
      // (a CLI member's Ctrl-C) would stay listed and the mesh would never hear that it went away.
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
        sendCopies: platform.sendCopies === true,
        close: () => {
          peer.destroy();
          close();
        },
        bufferedAmount: () => internals._channel?.bufferedAmount ?? 0,
        drained: (bytes) => platform.waitForDrain(internals._channel, bytes, () => closed),
        stats: () => channelStats(internals._pc),
        roundTripMs: () => roundTripMs(internals._pc),
      };
    },
  };
}
